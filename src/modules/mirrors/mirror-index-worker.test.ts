import { once } from 'node:events';
import { PaxError } from '../../common/errors';
import { MirrorIndex } from './engine/mirror-index';
import { generateLabelledSet } from './engine/synthetic';
import { InlineMirrorIndex, MirrorIndexWorker } from './mirror-index-worker';

const set = generateLabelledSet({ seed: 7, banned: 300, positivesPerFamily: 15, negativesPerFamily: 15 });
const subjects = set.queries.map((q) => q.subject);
const options = { limit: 5, minProbability: 0.05, now: Date.parse('2026-11-23T09:00:00Z') };

/** Rejects with the error it was given, as a value to assert on. */
const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: Error) => error);

describe('the mirror index thread', () => {
  const failures: Error[] = [];
  let worker: MirrorIndexWorker;

  beforeAll(async () => {
    worker = new MirrorIndexWorker(300, (error) => failures.push(error));
    expect(await worker.apply({ add: set.banned, remove: [] })).toBe(set.banned.length);
  });
  afterAll(() => worker.close());

  it('answers exactly as the engine in this thread: same accounts, verdicts, signals and bit-identical probabilities', async () => {
    const local = new MirrorIndex();
    set.banned.forEach((account) => local.add(account));
    const expected = subjects.map((subject) => local.screen(subject, options));
    const answered = await worker.screen(subjects, options);
    expect(expected.flat().length).toBeGreaterThan(subjects.length / 2);
    expect(answered).toEqual(expected);
    const bits = (results: typeof expected) => Buffer.from(new Float64Array(results.flat().map((m) => m.probability)).buffer).toString('hex');
    expect(bits(answered)).toBe(bits(expected));
  });

  it('applies removals before a later screening, in the order they were posted', async () => {
    const original = set.queries.find((q) => q.originalId && q.family === 'links')!;
    const before = worker.screen([original.subject], options);
    const removal = worker.apply({ add: [], remove: [original.originalId!] });
    const after = worker.screen([original.subject], options);
    expect((await before)[0].map((m) => m.account.id)).toContain(original.originalId);
    expect(await removal).toBe(set.banned.length - 1);
    expect((await after)[0].map((m) => m.account.id)).not.toContain(original.originalId);
    expect(await worker.has(original.originalId!)).toBe(false);
    await worker.apply({ add: set.banned.filter((a) => a.id === original.originalId), remove: [] });
    expect(await worker.has(original.originalId!)).toBe(true);
  });

  it('refuses a screening with RATE_LIMITED when the profiles waiting would pass the bound, and takes it once there is room', async () => {
    const big = worker.screen([...subjects, ...subjects, ...subjects], options);
    const refused = await refusal(worker.screen(subjects.slice(0, 1), options));
    expect(refused).toBeInstanceOf(PaxError);
    expect((refused as PaxError).extensions.code).toBe('RATE_LIMITED');
    expect(refused!.message).toMatch(/retry/);
    expect(await big).toHaveLength(subjects.length * 3);
    expect(await worker.screen(subjects.slice(0, 1), options)).toHaveLength(1);
    expect(failures).toEqual([]);
  });

  it('answers as the inline index (PAX_WORKER_THREADS=0) does', async () => {
    const inline = new InlineMirrorIndex();
    await inline.apply({ add: set.banned, remove: [] });
    expect(await worker.screen(subjects, options)).toEqual(await inline.screen(subjects, options));
  });
});

describe('a failing or closing index thread', () => {
  it('fails every waiting call and reports the failure when the thread dies', async () => {
    const failures: Error[] = [];
    const worker = new MirrorIndexWorker(1000, (error) => failures.push(error));
    await worker.apply({ add: set.banned, remove: [] });
    const waiting = refusal(worker.screen(subjects, options));
    await worker.thread.terminate();
    expect((await waiting)?.message).toMatch(/mirror index thread stopped/);
    expect(failures).toHaveLength(1);
    expect((await refusal(worker.has('x')))?.message).toMatch(/mirror index thread stopped/);
  });

  it('ends the thread on close, without reporting a failure, and refuses calls after it', async () => {
    const failures: Error[] = [];
    const worker = new MirrorIndexWorker(1000, (error) => failures.push(error));
    const exited = once(worker.thread, 'exit');
    await worker.apply({ add: set.banned.slice(0, 10), remove: [] });
    await worker.close();
    await exited;
    expect(failures).toEqual([]);
    expect((await refusal(worker.has(set.banned[0].id)))?.message).toMatch(/shutting down/);
  });
});
