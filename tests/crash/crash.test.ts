import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase } from '../helpers/postgres';
import { postGraphQL } from '../helpers/exchange';
import { registerPartners, startInstance } from '../cluster/processes';
import { Acknowledged, CutOff, Storm } from './storm';
import { auditVerify, readRecovered, unkept } from './recovered';

const WORKERS = 8;
const ROUNDS = 2;

/** A database that outlives the process: a file for SQLite, a fresh database for PostgreSQL. */
const engines: [string, () => Promise<{ url: string; drop: () => Promise<void> }>][] = [
  ['SQLite (a file, WAL)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-crash-'));
    return { url: `sqlite:${path.join(dir, 'pax.sqlite')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }],
  ['PostgreSQL', async () => {
    const url = await createDatabase('pax_crash');
    return { url, drop: () => dropDatabase(url) };
  }],
];

/**
 * Sends the mutations the kill cut off again, with their idempotencyKey, as a client that never got
 * an answer does: each must succeed once, whether or not it had committed before the kill.
 */
async function retry(url: string, cutOff: CutOff[]): Promise<{ answered: Acknowledged[]; wrong: string[] }> {
  const answered: Acknowledged[] = [];
  const wrong: string[] = [];
  for (const mutation of cutOff) {
    const response = await postGraphQL(url, mutation.token, mutation.query, mutation.variables);
    const operation = Object.keys(response.data ?? {})[0];
    const answer = operation ? response.data[operation] : null;
    if (!answer || response.errors) wrong.push(`${JSON.stringify(mutation.variables.input)}: ${JSON.stringify(response.errors)}`);
    else if (answer.version !== mutation.version || answer.status !== mutation.status) wrong.push(`${answer.id}: v${answer.version} ${answer.status}, wanted v${mutation.version} ${mutation.status}`);
    else answered.push({ operation, id: answer.id, version: answer.version, status: answer.status });
  }
  return { answered, wrong };
}

describe.each(engines)('kill -9 of `pax serve` mid-storm, on %s', (engine, open) => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await open();
    await registerPartners(database.url);
  });
  afterAll(() => database?.drop());

  it('keeps every acknowledged write, keeps versions equal to transitions, and the audit chain intact', async () => {
    const acknowledged: Acknowledged[] = [];
    const unexpected: string[] = [];
    let cutOff: CutOff[] = [];
    let retries = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      const instance = await startInstance({ DATABASE_URL: database.url });
      const retried = await retry(instance.url, cutOff);
      expect(retried.wrong).toEqual([]);
      acknowledged.push(...retried.answered);
      retries += retried.answered.length;
      if (round === ROUNDS) {
        await instance.stop();
        break;
      }
      // Anywhere from early to late in the storm; the assertions hold wherever it lands.
      const storm = new Storm(instance.url, () => void instance.stop('SIGKILL'), 40 + Math.floor(Math.random() * 160));
      await storm.run(WORKERS);
      expect(await instance.exited).toBeNull();
      acknowledged.push(...storm.acknowledged);
      unexpected.push(...storm.unexpected);
      cutOff = storm.cutOff;
    }

    expect(unexpected).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40 * ROUNDS);
    const recovered = await readRecovered(database.url);
    expect(unkept(acknowledged, recovered)).toEqual([]);
    expect(recovered.inconsistent).toEqual([]);
    const verified = await auditVerify(database.url);
    expect(verified.result).toMatchObject({ intact: true });
    expect(verified.result.checked).toBeGreaterThan(acknowledged.length);
    expect(verified.exitCode).toBe(0);
    process.stdout.write(`${engine}: ${ROUNDS} kills, ${acknowledged.length} acknowledged answers kept (${retries} of them retries of cut-off mutations), ${verified.result.checked} audit links intact\n`);
  }, 120_000);
});
