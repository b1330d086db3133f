import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../src/auth/roles';
import { newId } from '../src/common/ids';
import { signalEntryOf } from '../src/modules/mirrors/engine/mirror-index';
import { generateLabelledSet } from '../src/modules/mirrors/engine/synthetic';
import { SignalChange, SignalOp } from '../src/modules/signals/signal.entity';
import { useCasework } from './helpers/casework';

const CLI = path.resolve(__dirname, '../dist/src/cli/index.js');
// Whole Node processes and a few thousand entries: slow on a busy 2-core machine.
jest.setTimeout(180_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

/**
 * A proxy in front of PAX that can spoil one kind of response: cut a snapshot short and then hang
 * (a download killed midway), or flip one byte of a change batch (a tampering cache).
 */
function proxy(target: string, spoil: { stallSnapshotAfter?: number; flipChanges?: boolean }): Promise<{ url: string; close: () => void }> {
  const upstream = new URL(target);
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, 'accept-encoding': 'identity' } }, (answer) => {
      const headers = { ...answer.headers };
      delete headers['content-length'];
      res.writeHead(answer.statusCode ?? 502, headers);
      const chunks: Buffer[] = [];
      let sent = 0;
      answer.on('data', (chunk: Buffer) => {
        if (req.url?.startsWith('/signals/v1/snapshot') && spoil.stallSnapshotAfter !== undefined) {
          const room = spoil.stallSnapshotAfter - sent;
          if (room > 0) res.write(chunk.subarray(0, room));
          sent += chunk.length;
        } else if (req.url?.startsWith('/signals/v1/changes') && spoil.flipChanges) chunks.push(chunk);
        else res.write(chunk);
      });
      answer.on('end', () => {
        if (chunks.length) {
          const body = Buffer.concat(chunks);
          body[Math.floor(body.length / 2)] ^= 0x20;
          res.end(body);
        } else if (!(req.url?.startsWith('/signals/v1/snapshot') && spoil.stallSnapshotAfter !== undefined)) res.end();
      });
    });
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => { for (const s of sockets) s.destroy(); server.close(); } });
    }),
  );
}

describe('pax signals pull and pax screen --signals', () => {
  const t = useCasework();
  let dir: string;
  let env: Record<string, string>;
  let origin: string;
  const read = (file: string) => fs.readFileSync(path.join(dir, file));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-signals-'));
    origin = t.exchange.url.replace('/graphql', '');
    env = { PAX_TOKEN: t.exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signals-puller') };
    // Enough removed accounts that the snapshot is megabytes, written straight into the change log.
    const { banned } = generateLabelledSet({ seed: 11, banned: 3000, positivesPerFamily: 0, negativesPerFamily: 0 });
    const rows = banned.map((account) => ({
      entryId: newId(), accountId: newId(), op: SignalOp.UPSERT, createdAt: new Date(),
      payload: JSON.stringify(signalEntryOf(newId(), account, (account.organisationIds ?? []).map((id) => ({ id, name: id.toUpperCase() })))),
    }));
    for (let i = 0; i < rows.length; i += 200) await t.exchange.services.db.getRepository(SignalChange).insert(rows.slice(i, i + 200));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses to run without PAX_TOKEN, and says how to fix it', async () => {
    const run = await start(['signals', 'pull', '--dir', dir, '--url', origin], {}).done;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/set PAX_TOKEN/);
  });

  it('resumes a snapshot download killed midway, and ends with the same bytes as a fresh one', async () => {
    const stalling = await proxy(origin, { stallSnapshotAfter: 400_000 });
    const first = start(['signals', 'pull', '--dir', dir, '--url', stalling.url], env);
    const part = path.join(dir, 'snapshot.part');
    for (let i = 0; i < 600 && !(fs.existsSync(part) && fs.statSync(part).size >= 300_000); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.statSync(part).size).toBeGreaterThanOrEqual(300_000);
    first.child.kill('SIGKILL');
    await first.done;
    stalling.close();
    expect(fs.existsSync(path.join(dir, 'state.json'))).toBe(false);

    const second = await start(['signals', 'pull', '--dir', dir, '--url', origin], env).done;
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming the snapshot at cursor \d+ from byte [1-9]\d+/);
    const result = JSON.parse(second.stdout);
    expect(result).toMatchObject({ snapshot: true });
    const fresh = Buffer.from(await (await fetch(`${origin}/signals/v1/snapshot?cursor=${result.cursor}`, { headers: { authorization: `Bearer ${env.PAX_TOKEN}` } })).arrayBuffer());
    expect(read(`snapshot-${result.cursor}.ndjson`).equals(fresh)).toBe(true);
    expect(JSON.parse(read('state.json').toString())).toMatchObject({ snapshot: `snapshot-${result.cursor}.ndjson`, image: `snapshot-${result.cursor}.index` });
    expect(second.stderr).toMatch(/index image written/);
    expect(fs.existsSync(part)).toBe(false);
  });

  it('pulls the changes after its cursor, refuses a tampered batch without touching the copy, and screens offline from it', async () => {
    const flag = await t.cw.ok(t.cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: { platform: 'X', handle: 'offline_umar_media', displayName: 'Umar Media Offline', bio: 'Releases. Backup: t.me/offline_umar_backup', links: ['https://t.me/offline_umar_backup'] },
    });
    const draft = await t.cw.draft({ accountIds: [flag.flagAccount.id] });
    await t.cw.move(t.cw.supervisor, draft.id, 'SUBMITTED');
    await t.cw.move(t.cw.xReviewer, draft.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });

    const state = read('state.json');
    const tampering = await proxy(origin, { flipChanges: true });
    const refused = await start(['signals', 'pull', '--dir', dir, '--url', tampering.url], env).done;
    tampering.close();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/change batch was refused.*local copy is unchanged/);
    expect(read('state.json').equals(state)).toBe(true);

    const pulled = await start(['signals', 'pull', '--dir', dir, '--url', origin], env).done;
    expect(pulled.code).toBe(0);
    expect(JSON.parse(pulled.stdout)).toMatchObject({ snapshot: false, batches: 1, changes: 1 });

    fs.writeFileSync(path.join(dir, 'candidates.jsonl'), [
      { id: 'c1', platform: 'X', handle: 'offline_umar_medla2', displayName: 'Umar Media Offline', bio: 'We are back: t.me/offline_umar_backup' },
      { id: 'c2', platform: 'X', handle: 'gardening_tips_daily', displayName: 'Garden Tips', bio: 'Roses and tulips' },
    ].map((l) => JSON.stringify(l)).join('\n'));
    const screened = await start(['screen', '--signals', dir, '--candidates', path.join(dir, 'candidates.jsonl')], {}).done;
    expect(screened.code).toBe(0);
    const [mirror, other] = screened.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(mirror).toMatchObject({ id: 'c1', verdict: 'LIKELY_MIRROR' });
    expect(mirror.signals.join('\n')).toMatch(/offline_umar_media/);
    expect(other).toMatchObject({ id: 'c2', verdict: 'NO_MATCH', matchId: null });
    expect(screened.stderr).toMatch(/3001 removed accounts at cursor \d+ \(index from the index image\)/);

    // A damaged image is refused with its reason, and the same answers come from the snapshot.
    const { image } = JSON.parse(read('state.json').toString());
    const bytes = read(image);
    bytes[bytes.length - 100] ^= 1;
    fs.writeFileSync(path.join(dir, image), bytes);
    const rebuilt = await start(['screen', '--signals', dir, '--candidates', path.join(dir, 'candidates.jsonl')], {}).done;
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/the index image was not used \(the image's section [\w.]+ fails its CRC: the file is damaged\)/);
    expect(rebuilt.stderr).toMatch(/3001 removed accounts at cursor \d+ \(index from the snapshot\)/);
    expect(rebuilt.stdout).toBe(screened.stdout);
  });
});
