import fs from 'node:fs';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { DocumentVerifier, KeySet, keySetOf, SignalPublicJwk, verifyDocument } from '../matcher/codec';
import { KEYS_FILE, LocalState, SignalMatcher, STATE_FILE } from '../matcher';
import { countLines } from './screen';

/**
 * `pax signals pull`: keeps a local copy of the signal feed in a directory. The first pull takes a
 * snapshot, later ones the changes after the local cursor. A download goes to a `.part` file first
 * and is verified before anything replaces the local copy; a killed snapshot download resumes
 * at its byte offset. `state.json` is only ever replaced by a rename. Unless told not to, a new
 * snapshot is also built into an index image beside it, which `SignalMatcher.fromDirectory` reads
 * instead of building the index again.
 */
export interface PullOptions {
  dir: string;
  url: string;
  token: string;
  progress: NodeJS.WritableStream;
  /** Changes per batch requested. */
  batch?: number;
  /** Build an index image of each new snapshot (the default). */
  image?: boolean;
}

export interface PullResult {
  cursor: number;
  snapshot: boolean;
  batches: number;
  changes: number;
}

const PART = 'snapshot.part';
const PART_STATE = 'snapshot.part.json';

export class PullError extends Error {}

function writeAtomically(file: string, data: string | Buffer) {
  const temporary = `${file}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, Buffer.from(data));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

async function verifyFile(file: string, keys: KeySet) {
  const verifier = new DocumentVerifier(keys, () => undefined);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) verifier.push(chunk as Buffer);
  return verifier.end().header;
}

export async function pullSignals(options: PullOptions): Promise<PullResult> {
  const { dir, progress } = options;
  const base = `${options.url.replace(/\/+$/, '').replace(/\/graphql$/, '')}/signals/v1`;
  const say = (line: string) => progress.write(`${line}\n`);
  const request = async (pathAndQuery: string) => {
    let response: Response;
    try {
      response = await fetch(`${base}${pathAndQuery}`, { headers: { authorization: `Bearer ${options.token}`, 'accept-encoding': 'gzip' } });
    } catch (error) {
      throw new PullError(`cannot reach ${base} (${(error as Error).cause ?? (error as Error).message}); check --url`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new PullError(`PAX refused the token (${response.status}): set PAX_TOKEN to a current PLATFORM_SYSTEM token of an active partner`);
    }
    return response;
  };
  const refusal = async (response: Response) => {
    const text = await response.text();
    try {
      return JSON.parse(text).errors?.[0] as { message: string; extensions?: { reason?: string } };
    } catch {
      return { message: `HTTP ${response.status}: ${text.slice(0, 200)}` };
    }
  };

  fs.mkdirSync(path.join(dir, 'changes'), { recursive: true });
  const keysResponse = await request('/keys');
  if (!keysResponse.ok) throw new PullError(`could not fetch the feed's keys: ${(await refusal(keysResponse)).message}`);
  const jwks = (await keysResponse.json()) as { keys: SignalPublicJwk[] };
  const keys = keySetOf(jwks);
  writeAtomically(path.join(dir, KEYS_FILE), JSON.stringify(jwks, null, 2));

  const stateFile = path.join(dir, STATE_FILE);
  let state: LocalState | null = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : null;
  const result: PullResult = { cursor: state?.cursor ?? 0, snapshot: false, batches: 0, changes: 0 };

  const takeSnapshot = async (): Promise<LocalState> => {
    const part = path.join(dir, PART);
    const partState = path.join(dir, PART_STATE);
    let resume = fs.existsSync(part) && fs.existsSync(partState) ? (JSON.parse(fs.readFileSync(partState, 'utf8')) as { cursor: number }) : null;
    let offset = resume ? fs.statSync(part).size : 0;
    let response = await request(resume ? `/snapshot?cursor=${resume.cursor}&offset=${offset}` : '/snapshot');
    if (resume && !response.ok) {
      say(`cannot resume the snapshot at cursor ${resume.cursor} (${(await refusal(response)).message}); starting it again`);
      resume = null;
      offset = 0;
      response = await request('/snapshot');
    }
    if (!response.ok || !response.body) throw new PullError(`the snapshot download failed: ${(await refusal(response)).message}`);
    const cursor = Number(response.headers.get('x-pax-cursor'));
    const count = Number(response.headers.get('x-pax-count'));
    if (resume) say(`resuming the snapshot at cursor ${cursor} from byte ${offset}`);
    else writeAtomically(partState, JSON.stringify({ cursor }));
    const out = fs.createWriteStream(part, { flags: resume ? 'a' : 'w' });
    const bar = new SingleBar({ format: 'snapshot {bar} {percentage}% | {value}/{total} entries | {eta_formatted} left', stream: progress, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
    let lines = resume ? await countLines(part) : 0;
    bar.start(count + 2, lines);
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const bytes = Buffer.from(chunk);
        if (!out.write(bytes)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        for (const byte of bytes) if (byte === 10) lines++;
        bar.update(lines);
      }
    } finally {
      bar.stop();
      await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    // With an image to build, loading the snapshot into a matcher is its verification.
    const matcher = options.image === false ? null : new SignalMatcher(keys);
    if (matcher) say(`verifying the snapshot and building its index (about half a minute a million entries)`);
    let header;
    try {
      header = matcher ? await matcher.loadSnapshot(fs.createReadStream(part, { highWaterMark: 1 << 20 })) : await verifyFile(part, keys);
    } catch (error) {
      fs.rmSync(part, { force: true });
      fs.rmSync(partState, { force: true });
      throw new PullError(`the snapshot was refused: ${(error as Error).message}. The local copy is unchanged; run the pull again`);
    }
    if (header.kind !== 'snapshot' || header.cursor !== cursor) throw new PullError(`expected the snapshot at cursor ${cursor}, got a ${header.kind} at ${header.cursor}`);
    const name = `snapshot-${cursor}.ndjson`;
    fs.renameSync(part, path.join(dir, name));
    const next: LocalState = { cursor, snapshot: name, changes: [] };
    if (matcher) {
      // The image only spares a start the build; a pull that cannot write it still succeeds.
      const image = `snapshot-${cursor}.index`;
      try {
        matcher.writeImage(path.join(dir, image), name);
        next.image = image;
        say(`index image written: ${image}`);
      } catch (error) {
        say(`could not write the index image (${(error as Error).message}); \`pax screen --signals\` will build the index from the snapshot`);
      }
    }
    writeAtomically(stateFile, JSON.stringify(next));
    fs.rmSync(partState, { force: true });
    // The old copy goes only once the new one is in place.
    if (state) for (const file of [state.snapshot, ...state.changes, ...(state.image ? [state.image] : [])]) if (file !== name && file !== next.image) fs.rmSync(path.join(dir, file), { force: true });
    result.snapshot = true;
    say(`snapshot at cursor ${cursor}: ${count} entries`);
    return next;
  };

  if (!state) state = await takeSnapshot();
  for (;;) {
    const response = await request(`/changes?after=${state.cursor}&limit=${options.batch ?? 10000}`);
    if (!response.ok) {
      const error = await refusal(response);
      if (error.extensions?.reason === 'CURSOR_EXPIRED' || error.extensions?.reason === 'CURSOR_AHEAD') {
        say(`${error.message}; taking a new snapshot`);
        state = await takeSnapshot();
        continue;
      }
      throw new PullError(`the change download failed: ${error.message}`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    let header;
    try {
      header = verifyDocument(body, keys).header;
    } catch (error) {
      throw new PullError(`a change batch was refused: ${(error as Error).message}. The local copy is unchanged at cursor ${state.cursor}; run the pull again`);
    }
    if (header.kind !== 'changes' || header.after !== state.cursor) throw new PullError(`the change batch does not follow cursor ${state.cursor}; the local copy is unchanged`);
    if (header.count > 0) {
      const name = path.join('changes', `${header.after}-${header.cursor}.ndjson`);
      writeAtomically(path.join(dir, name), body);
      state = { ...state, cursor: header.cursor, changes: [...state.changes, name] };
      writeAtomically(stateFile, JSON.stringify(state));
      result.batches++;
      result.changes += header.count;
      say(`changes ${header.after}..${header.cursor}: ${header.count}`);
    }
    if (state.cursor >= Number(response.headers.get('x-pax-head'))) break;
  }
  result.cursor = state.cursor;
  return result;
}
