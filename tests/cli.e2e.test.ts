import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { renderedLogo } from './helpers/images';
import { buildSchema } from 'graphql';
import { MIGRATIONS } from '../migrations';
import { createSchema } from './helpers/postgres';

/**
 * The real built `pax` command (`npm test` builds before jest), on a fresh database of the run's
 * engine: a new SQLite file, or a new schema of PAX_TEST_DATABASE_URL under `npm run test:postgres`.
 */
const CLI = path.resolve(__dirname, '../dist/src/cli/index.js');
const runDatabase = process.env.PAX_TEST_DATABASE_URL;
// Each step starts whole Node processes; on a busy machine that takes far longer than a request.
jest.setTimeout(120_000);
/** Any HS256 secret will do: no token here meets a server. */
const TEST_SECRET = 'cli-test-secret-0123456789abcdef0123456789';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const dirs: string[] = [];
const drops: (() => Promise<void>)[] = [];

/** A fresh, empty database and a working directory for the process (dev key files land there). */
async function freshDatabase(): Promise<{ url: string; cwd: string }> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-cli-'));
  dirs.push(cwd);
  if (!runDatabase) return { url: `sqlite:${path.join(cwd, 'pax.sqlite')}`, cwd };
  const schema = await createSchema(runDatabase);
  drops.push(schema.drop);
  return { url: schema.url, cwd };
}

function pax(database: { url: string; cwd: string }, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: database.cwd,
        // LOG_LEVEL=info: the logs exist, so a clean stdout proves they went elsewhere.
        env: { PATH: process.env.PATH, DATABASE_URL: database.url, PAX_JWT_SECRET: TEST_SECRET, PAX_SEED_DEMO: 'false', LOG_LEVEL: 'info', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `pax serve` until it says where it serves; then its /readyz answer and its exit code after SIGTERM. */
function serveOnce(database: { url: string; cwd: string }, env: Record<string, string>): Promise<{ ready: unknown; code: number | null }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    cwd: database.cwd,
    env: { PATH: process.env.PATH, DATABASE_URL: database.url, PAX_JWT_SECRET: TEST_SECRET, PAX_SEED_DEMO: 'false', LOG_LEVEL: 'info', ...env },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.stdout.on('data', async (chunk: Buffer) => {
      output += chunk;
      const serving = /PAX is serving (http:\/\/\S+)\/graphql/.exec(output);
      if (!serving) return;
      child.stdout.removeAllListeners('data');
      const ready = await (await fetch(`${serving[1].replace('localhost', '127.0.0.1')}/readyz`)).json();
      child.kill('SIGTERM');
      resolve({ ready, code: await exited });
    });
    child.on('exit', (code) => {
      if (!/PAX is serving/.test(output)) reject(new Error(`pax serve exited with ${code} before serving: ${output}`));
    });
  });
}

const MIGRATION_NAMES = MIGRATIONS.map((m) => m.name);
const NEEDS_MIGRATE = /^pax: the database has \d+ pending migrations?; run `pax migrate` first/;

afterAll(async () => {
  await Promise.all(drops.map((drop) => drop()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`pax on a fresh ${runDatabase ? 'PostgreSQL schema' : 'SQLite file'}`, () => {
  it('migrates an empty database, one line per migration applied; then the other commands work without migrating', async () => {
    const database = await freshDatabase();
    const first = await pax(database, ['migrate']);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout.trim().split('\n')).toEqual(MIGRATION_NAMES.map((name) => `applied ${name}`));
    // The deploy path: `pax migrate` once, then every instance with PAX_MIGRATE_ON_START=false.
    const noMigrate = { PAX_MIGRATE_ON_START: 'false' };
    const [again, added, served] = await Promise.all([
      pax(database, ['migrate']),
      pax(database, ['partner', 'add', '--slug', 'pta', '--kind', 'AGENCY'], noMigrate),
      serveOnce(database, noMigrate),
    ]);
    expect(again).toMatchObject({ code: 0, stdout: 'the database is up to date\n' });
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toMatch(/^added AGENCY partner pta /);
    expect(served).toEqual({ ready: { status: 'ready', database: 'up' }, code: 0 });
  });

  it('refuses to serve or work on an unmigrated database when told not to migrate, naming the fix', async () => {
    const database = await freshDatabase();
    const noMigrate = { PAX_MIGRATE_ON_START: 'false' };
    const runs = await Promise.all([
      pax(database, ['serve', '--port', '0'], noMigrate),
      pax(database, ['report', '--from', '2026-01-01', '--to', '2027-01-01'], noMigrate),
      pax(database, ['partner', 'add', '--slug', 'pta', '--kind', 'AGENCY'], noMigrate),
    ]);
    for (const run of runs) {
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(NEEDS_MIGRATE);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    // Refusing left the database as it was: `pax migrate` still applies everything.
    const migrated = await pax(database, ['migrate']);
    expect(migrated.stdout.trim().split('\n')).toHaveLength(MIGRATION_NAMES.length);
  });

  it('writes only the data on stdout, with the logs on stderr, for commands that migrate a fresh database first', async () => {
    const database = await freshDatabase();
    const json = await pax(database, ['report', '--from', '2026-01-01', '--to', '2027-01-01', '--format', 'json']);
    expect(json).toMatchObject({ code: 0 });
    expect(JSON.parse(json.stdout)).toMatchObject({ requests: 0, accounts: 0 });
    expect(json.stderr).toMatch(/"msg":"applied migrations"/);

    const [csv, anchor, verify] = await Promise.all([
      pax(database, ['report', '--from', '2026-01-01', '--to', '2027-01-01', '--format', 'csv']),
      pax(database, ['audit', 'anchor']),
      pax(database, ['audit', 'verify']),
    ]);
    expect(csv.stdout.split('\n')[0]).toBe('figure,key,value');
    expect(csv.stdout.trim().split('\n').every((line) => line.split(',').length >= 3)).toBe(true);
    expect(JSON.parse(anchor.stdout)).toMatchObject({ seq: expect.any(Number), hash: expect.any(String) });
    expect(anchor.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({ intact: true });
  });

  it('designations import prints the diff on stdout and progress on stderr, needs an agency to write, and refuses a bad file in one line', async () => {
    const database = await freshDatabase();
    const list = (name: string) => path.resolve(__dirname, 'fixtures/sanctions', name);
    const importing = (...args: string[]) => pax(database, ['designations', 'import', '--source', 'csv', ...args]);
    expect((await pax(database, ['partner', 'add', '--slug', 'pta', '--kind', 'AGENCY'])).code).toBe(0);

    const unnamed = await importing(list('nacta-first-schedule.csv'));
    expect(unnamed).toMatchObject({ code: 1, stdout: '' });
    expect(unnamed.stderr).toContain('pax: name the agency the import is made for with --agency <slug>');
    const dry = await importing(list('nacta-first-schedule.csv'), '--dry-run');
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, empty: false, authority: 'PK', list: 'NACTA First Schedule', entitiesRead: 4 });
    expect(dry.stderr).toMatch(/matching .* 4\/4/);

    const first = await importing(list('nacta-first-schedule.csv'), '--agency', 'pta');
    expect(JSON.parse(first.stdout)).toMatchObject({ dryRun: false, empty: false, newOrganisations: expect.arrayContaining([expect.objectContaining({ name: 'Balochistan Liberation Army' })]) });
    expect(first.stderr).toMatch(/writing .* 8\/8/);
    expect(JSON.parse((await importing(list('nacta-first-schedule.csv'), '--agency', 'pta')).stdout)).toMatchObject({ empty: true });
    const delisted = await importing(list('nacta-first-schedule-delisted.csv'), '--agency', 'pta', '--format', 'text');
    expect(delisted.code).toBe(0);
    expect(delisted.stdout).toContain('De-listings (1)\n  NACTA-FS-71  ');
    expect(delisted.stdout).toContain('no active designation left');
    // No takedown request names the de-listed organisation: nothing flagged, so no warning about subscribers.
    expect(JSON.parse(first.stdout).reviewFlagsRaised).toBe(0);
    expect(delisted.stderr).not.toContain('warning');

    fs.writeFileSync(path.join(database.cwd, 'bad.csv'), 'type,authority,list,reference,name,designated_on\nentity,PK,NACTA First Schedule,NACTA-FS-1,Someone,2001-02-30\n');
    const bad = await importing('bad.csv', '--agency', 'pta');
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toContain('pax: not a PAX designations CSV: line 2, column designated_on: "2001-02-30" is not a date (YYYY-MM-DD); nothing was imported\n');
    expect(bad.stderr).not.toContain('PAX_DEBUG');
    const verify = JSON.parse((await pax(database, ['audit', 'verify'])).stdout);
    expect(verify).toMatchObject({ intact: true, checked: 4 });
  });

  it('exports a partner\'s STIX bundle on stdout, with progress on stderr, and names an unknown partner', async () => {
    const database = await freshDatabase();
    expect(await pax(database, ['partner', 'add', '--slug', 'pta', '--kind', 'AGENCY'])).toMatchObject({ code: 0 });
    const [exported, unknown] = await Promise.all([pax(database, ['export', 'stix', '--partner', 'pta']), pax(database, ['export', 'stix', '--partner', 'nobody'])]);
    expect(exported).toMatchObject({ code: 0 });
    expect(JSON.parse(exported.stdout)).toMatchObject({ type: 'bundle', id: expect.stringMatching(/^bundle--/), objects: expect.arrayContaining([expect.objectContaining({ type: 'identity' })]) });
    expect(exported.stderr).toMatch(/exporting .* 3\/3 collections/);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/no active partner "nobody"; check the slug/);
  });
});

describe('pax data commands without a database', () => {
  let workdir: { url: string; cwd: string };
  beforeAll(async () => {
    workdir = await freshDatabase();
  });

  it('token prints exactly one JWT line', async () => {
    const run = await pax(workdir, ['token', '--partner', 'pta', '--roles', 'AGENCY_ANALYST']);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('schema prints SDL and nothing else', async () => {
    const run = await pax(workdir, ['schema']);
    expect(run).toMatchObject({ code: 0 });
    expect(buildSchema(run.stdout).getQueryType()?.getFields()).toHaveProperty('takedownRequests');
  });

  it('keys generate prints one keyring entry', async () => {
    const run = await pax(workdir, ['keys', 'generate', '--id', 'k2026']);
    expect(run.stdout).toMatch(/^k2026:[A-Za-z0-9+/]+=*\n$/);
  });

  it('hash-image prints "hex,quality,file" lines only', async () => {
    const image = path.join(workdir.cwd, 'gradient.png');
    const pixels = Buffer.alloc(64 * 64 * 3, 0).map((_, i) => (i * 7) % 251);
    await sharp(pixels, { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(image);
    const run = await pax(workdir, ['hash-image', image, '--dihedral']);
    expect(run).toMatchObject({ code: 0 });
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64},\d+,/);
  });

  it('hash-image --variants adds the normalised forms, marked apart from the PDQ line', async () => {
    const image = path.join(workdir.cwd, 'logo.png');
    fs.writeFileSync(image, await renderedLogo());
    const run = await pax(workdir, ['hash-image', image, '--variants']);
    expect(run).toMatchObject({ code: 0 });
    const [plain, ...forms] = run.stdout.trim().split('\n');
    expect(plain).toMatch(/^[0-9a-f]{64},\d+,.*logo\.png$/);
    expect(forms.some((line) => line.endsWith('#variant'))).toBe(true);
    expect(forms.some((line) => line.endsWith('#probe'))).toBe(true);
    for (const line of forms) expect(line).toMatch(/^[0-9a-f]{64},,.*logo\.png#(variant|probe)$/);
  });

  it('screen prints one JSON line per candidate, with its progress on stderr', async () => {
    const banned = path.join(workdir.cwd, 'banned.jsonl');
    const candidates = path.join(workdir.cwd, 'candidates.jsonl');
    fs.writeFileSync(banned, `${JSON.stringify({ id: 'b1', platform: 'X', handle: '@ttp_media', displayName: 'TTP Media' })}\n`);
    fs.writeFileSync(candidates, ['c1', 'c2'].map((id) => JSON.stringify({ id, platform: 'X', handle: `@ttp_media_${id}`, displayName: 'TTP Media' })).join('\n') + '\n');
    const run = await pax(workdir, ['screen', '--banned', banned, '--candidates', candidates]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(['c1', 'c2']);
    expect(run.stderr).toMatch(/screened 2 candidates/);
  });
});
