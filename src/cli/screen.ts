import fs from 'node:fs';
import readline from 'node:readline';
import { Presets, SingleBar } from 'cli-progress';
import { MirrorIndex, RemovedAccount, ScreeningSubject } from '../modules/mirrors/engine/mirror-index';
import { SignalMatcher } from '../matcher';
import { isPdqHex } from '../modules/mirrors/engine/pdq';

/** One line of the input files, as platforms export them: a removed account, dated or not. */
type AccountLine = Omit<RemovedAccount, 'removedAt'> & { removedAt?: string };

async function* readJsonLines(file: string): AsyncGenerator<AccountLine> {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  const input = fs.createReadStream(file, 'utf8');
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number++;
      if (line.trim()) yield parseLine(file, number, line);
    }
  } finally {
    // Stop reading when the caller stops early or a line is refused.
    lines.close();
    input.destroy();
  }
}

function parseLine(file: string, number: number, line: string): AccountLine {
  let value: AccountLine;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`${file} line ${number} is not JSON (${(error as Error).message}); each line must be one JSON object`);
  }
  if (typeof value.id !== 'string' || typeof value.handle !== 'string' || typeof value.platform !== 'string') {
    throw new Error(`${file} line ${number} needs "id", "platform" and "handle" strings`);
  }
  if (value.avatarPdq && !isPdqHex(value.avatarPdq)) throw new Error(`${file} line ${number}: avatarPdq must be 64 hex digits (pax hash-image prints them)`);
  return value;
}

export async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const chunk of fs.createReadStream(file)) for (const byte of chunk as Buffer) if (byte === 10) count++;
  return count;
}

/** The best match of one candidate, as `pax screen` writes it. */
type Screener = (subject: ScreeningSubject) => { verdict: string; probability: number; matchId: string; signals: string[] } | undefined;

/**
 * `pax screen`: screens a platform's accounts offline, against a file of removed accounts or a
 * local copy of the signal feed, writing one JSON line per candidate:
 * {"id","verdict","score","matchId","signals"}. Progress goes to `progress`.
 */
export async function screenFiles(source: { banned: string } | { signals: string }, candidatesFile: string, out: NodeJS.WritableStream, progress: NodeJS.WritableStream): Promise<number> {
  const bar = new SingleBar({ format: '{task} {bar} {percentage}% | {value}/{total} | {eta_formatted} left', stream: progress, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
  // The bar runs a timer; it must stop whether or not a file turns out to be bad.
  const phase = async (task: string, file: string, each: (line: AccountLine) => void) => {
    bar.start(await countLines(file), 0, { task });
    try {
      for await (const line of readJsonLines(file)) {
        each(line);
        bar.increment();
      }
    } finally {
      bar.stop();
    }
  };
  let screen: Screener;
  if ('signals' in source) {
    progress.write(`loading the signal feed from ${source.signals}\n`);
    const matcher = await SignalMatcher.fromDirectory(source.signals);
    const { loadedFrom, imageRefused } = matcher.origin;
    if (imageRefused) progress.write(`the index image was not used (${imageRefused}); the index was built from the snapshot. \`pax signals pull\` writes a new image with the next snapshot\n`);
    progress.write(`${matcher.size} removed accounts at cursor ${matcher.cursor} (index from the ${loadedFrom === 'image' ? 'index image' : 'snapshot'})\n`);
    screen = (subject) => {
      const [best] = matcher.screen(subject, { limit: 1, minProbability: 0 });
      return best && { verdict: best.verdict, probability: best.probability, matchId: best.entryId, signals: best.signals };
    };
  } else {
    const index = new MirrorIndex();
    await phase('indexing removed accounts', source.banned, (line) =>
      index.add({ ...line, links: line.links ?? [], removedAt: line.removedAt ? new Date(line.removedAt) : new Date() }),
    );
    screen = (subject) => {
      const [best] = index.screen(subject, { limit: 1, minProbability: 0 });
      return best && { verdict: best.verdict, probability: best.probability, matchId: best.account.id, signals: best.signals.map((s) => s.text) };
    };
  }
  let screened = 0;
  await phase('screening candidates      ', candidatesFile, (line) => {
    const best = screen({ ...line, avatarPdq: line.avatarPdq ? [line.avatarPdq] : [] });
    const matched = best && best.verdict !== 'NO_MATCH';
    out.write(
      `${JSON.stringify({
        id: line.id,
        verdict: best?.verdict ?? 'NO_MATCH',
        score: best ? Math.round(best.probability * 10_000) / 10_000 : 0,
        matchId: matched ? best.matchId : null,
        signals: matched ? best.signals : [],
      })}\n`,
    );
    screened++;
  });
  return screened;
}
