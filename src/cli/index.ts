#!/usr/bin/env node
import 'reflect-metadata';
import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { createLogger } from '../observability/logger';
import { ConfigError, databaseFromEnv, loadConfig, PaxConfig } from '../config';
import { applyMigrations, createDataSource } from '../db/data-source';
import { signDevToken } from '../auth/jwt';
import { Role } from '../auth/roles';
import { PartnerKind, Platform } from '../common/enums';
import { buildPaxSchema, printPaxSchema } from '../schema';
import { createInMemoryEventBus } from '../events/event-bus';
import { startServer } from '../server';
import { closeServices, createContext, openServices } from '../services';
import { partnerPrincipal, StixCollection } from '../modules/stix/stix-export';
import { demoPersonas, isEmpty, seedDemo } from './demo-seed';
import { pdqFromImage } from '../modules/mirrors/engine/pdq-image';
import { avatarHashes, screeningAvatar } from '../modules/mirrors/engine/avatar-variants';
import { screenFiles } from './screen';
import { pullSignals, PullError } from './signals';
import { generateSignalKey } from '../modules/signals/signal-keys';
import { SignalService } from '../modules/signals/signal.service';
import { Presets, SingleBar } from 'cli-progress';
import { generateMasterKey } from '../modules/disclosures/sealing';
import { rewrapSealedKeys } from '../modules/disclosures/rewrap';
import { reportToCsv } from '../modules/reports/report-format';
import { DesignationSource } from '../modules/designations/lists/sanctions-list';
import { importResultText } from './designations';
import { principalFromPartner } from '../auth/principal';
import { PaxError } from '../common/errors';

/** A command's result: the only thing on stdout, so that `pax report > report.json` parses. */
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Logs of every command but `serve` go to stderr, keeping stdout for the command's data. */
const stderrLogger = (config: PaxConfig) => createLogger(config.logLevel, pino.destination(2));

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`${value} is not a date; use ISO 8601, e.g. 2026-01-01 or 2026-01-01T00:00:00Z`);
  return date;
}

function listOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T[] => {
    const items = value.split(',').map((v) => v.trim()).filter(Boolean);
    const wrong = items.filter((i) => !allowed.includes(i as T));
    if (items.length === 0 || wrong.length) {
      throw new InvalidArgumentError(`${wrong.join(', ') || 'nothing'} is not a ${what}; choose from ${allowed.join(', ')}`);
    }
    return items as T[];
  };
}

/** Opens the configured database with migrations applied, runs `work`, and closes it again. */
async function withServices<T>(work: (services: Awaited<ReturnType<typeof openServices>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const services = await openServices(config, stderrLogger(config));
  try {
    return await work(services);
  } finally {
    await closeServices(services);
  }
}

const program = new Command('pax').description('PAX — the Proscribed Accounts Exchange').showHelpAfterError();

program
  .command('serve')
  .description('run the GraphQL API (HTTP and WebSocket on /graphql); migrates, and seeds an empty dev database')
  .option('--port <port>', 'port to listen on (default: $PORT or 4000)')
  .action(async (options: { port?: string }) => {
    const config = loadConfig();
    const services = await openServices(config);
    if (config.seedDemoWhenEmpty && (await isEmpty(services))) {
      say('Empty database: seeding the demo data set (set PAX_SEED_DEMO=false to skip).');
      await seedDemo(services, (line) => say(`  ${line}`));
    }
    const server = await startServer(services, await buildPaxSchema(services.events), Number(options.port ?? config.port));
    say(`PAX is serving ${server.url} (WebSocket subscriptions on the same path) on ${config.databaseUrl.split('?')[0]}`);
    say(`The console is at ${server.url.replace(/graphql$/, '')}`);
    const personas = demoPersonas(config);
    if (personas.length) {
      say('\nDemo tokens (valid 12h; mint more with `npm run pax -- token --help`):');
      for (const p of personas) say(`  ${p.label} (${p.partner}/${p.sub}):\n    ${p.token}`);
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      services.log.info({ signal }, 'shutting down');
      await server.close();
      await closeServices(services);
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  });

program
  .command('token')
  .description('print a development JWT signed with the local secret')
  .requiredOption('--partner <slug>', 'partner slug, e.g. pta or x')
  .requiredOption('--roles <roles>', `comma-separated roles: ${Object.values(Role).join(', ')}`, listOf(Object.values(Role), 'role'))
  .option('--sub <name>', 'the user or service account', 'dev-user')
  .option('--ttl <duration>', 'lifetime, e.g. 30m, 1h, 7d', '1h')
  .action((options: { partner: string; roles: Role[]; sub: string; ttl: string }) => {
    say(signDevToken(loadConfig().jwt, options));
  });

const partner = program.command('partner').description('register and manage partners');
partner
  .command('add')
  .description('register an agency, platform or oversight partner')
  .requiredOption('--slug <slug>', 'short lowercase name used in tokens')
  .requiredOption('--kind <kind>', 'AGENCY, PLATFORM or OVERSIGHT', (v) => listOf(Object.values(PartnerKind), 'partner kind')(v)[0])
  .option('--name <name>', 'display name (default: the slug)')
  .option('--platforms <platforms>', `for PLATFORM partners: ${Object.values(Platform).join(', ')}`, listOf(Object.values(Platform), 'platform'))
  .action(async (options: { slug: string; kind: PartnerKind; name?: string; platforms?: Platform[] }) => {
    const added = await withServices((s) => s.partners.add(options));
    say(`added ${added.kind} partner ${added.slug} (${added.id})${added.platforms.length ? ` operating ${added.platforms.join(', ')}` : ''}`);
  });
partner
  .command('deactivate')
  .description("refuse every token of a partner from now on")
  .requiredOption('--slug <slug>', 'partner slug')
  .action(async (options: { slug: string }) => {
    await withServices((s) => s.partners.setActive(options.slug, false));
    say(`deactivated ${options.slug}`);
  });

program
  .command('seed')
  .description('load the demo data set into an empty database')
  .requiredOption('--demo', 'the demo data set (the only one there is)')
  .action(async () => {
    const config = loadConfig();
    if (config.production) throw new ConfigError('refusing to seed demo data with NODE_ENV=production');
    await withServices(async (services) => {
      if (!(await isEmpty(services))) throw new ConfigError('the database already has partners; seed an empty database');
      await seedDemo(services, (line) => say(`seeded ${line}`));
    });
  });

program
  .command('migrate')
  .description('apply pending migrations to DATABASE_URL (needs nothing else: no services start)')
  .action(async () => {
    const { databaseUrl, dbPoolSize } = databaseFromEnv();
    const db = createDataSource(databaseUrl, { poolSize: dbPoolSize });
    await db.initialize();
    try {
      const applied = await applyMigrations(db);
      say(applied.length ? applied.map((name) => `applied ${name}`).join('\n') : 'the database is up to date');
    } finally {
      await db.destroy();
    }
  });

program
  .command('report')
  .description('the transparency report over every request, as an auditor sees it')
  .requiredOption('--from <date>', 'requests submitted from this date or instant (ISO 8601)', parseDate)
  .requiredOption('--to <date>', 'to this one, exclusive', parseDate)
  .option('--format <format>', 'csv or json', 'json')
  .option('--platform <platform>', 'only requests to this platform')
  .option('--agency <slug>', 'only requests of this agency')
  .option('--organisation <id>', 'only requests linked to this organisation')
  .action(async (options: { from: Date; to: Date; format: string; platform?: Platform; agency?: string; organisation?: string }) => {
    if (!['csv', 'json'].includes(options.format)) throw new InvalidArgumentError('--format is csv or json');
    if (options.platform && !Object.values(Platform).includes(options.platform)) throw new InvalidArgumentError(`--platform is one of ${Object.values(Platform).join(', ')}`);
    const auditor = { sub: 'pax-cli', partnerId: '', partnerSlug: 'pax-cli', partnerKind: PartnerKind.OVERSIGHT, platforms: [], roles: [Role.AUDITOR], expiresAt: Number.MAX_SAFE_INTEGER };
    const report = await withServices((services) => services.reports.report(auditor, options));
    process.stdout.write(options.format === 'csv' ? reportToCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
  });

program
  .command('export')
  .description('export data for other tools')
  .command('stix')
  .description("a STIX 2.1 bundle of what a partner may see, on stdout (see docs: organisations, accounts, takedown requests)")
  .requiredOption('--partner <slug>', "the partner whose view to export, as its system account sees it")
  .action(async (options: { partner: string }) => {
    const bundle = await withServices(async (services) => {
      const partner = await services.partners.findActiveBySlug(options.partner);
      if (!partner) throw new InvalidArgumentError(`no active partner "${options.partner}"; check the slug (pax partner add registers a partner)`);
      const bar = new SingleBar({ format: 'exporting {bar} {value}/{total} collections', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
      bar.start(Object.values(StixCollection).length, 0);
      try {
        return await services.stix.bundle(createContext(services, partnerPrincipal(partner), 'cli:export-stix', true), undefined, (done) => bar.update(done));
      } finally {
        bar.stop();
      }
    });
    process.stdout.write(`${JSON.stringify(bundle)}\n`);
  });

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('anchor')
  .description('print the chain head (seq, SHA-256, time) to publish or sign elsewhere')
  .action(async () => {
    const head = await withServices((services) => services.audit.head());
    say(JSON.stringify({ seq: head.seq, hash: head.hash, at: new Date().toISOString() }));
  });
audit
  .command('verify')
  .description('recompute the hash chain; exits 1 at the first broken link')
  .option('--from <seq>', 'first entry', '1')
  .option('--to <seq>', 'last entry (default: the head)')
  .action(async (options: { from: string; to?: string }) => {
    const result = await withServices((services) => services.audit.verify(Number(options.from), options.to ? Number(options.to) : undefined));
    say(JSON.stringify(result));
    if (!result.intact) process.exitCode = 1;
  });

/** A command that prints a new key entry for a key list in the environment. */
function keyGenerator(parent: Command, name: string, description: string, generate: (id: string) => string) {
  parent
    .command(name)
    .description(description)
    .option('--id <id>', 'a name for the key, e.g. the date', new Date().toISOString().slice(0, 10))
    .action((options: { id: string }) => {
      say(generate(options.id));
    });
}

const keys = program.command('keys').description('master keys for sealed disclosures and evidence');
keyGenerator(keys, 'generate', 'print a new master key entry for PAX_MASTER_KEYS', generateMasterKey);
keys
  .command('rewrap')
  .description('move every data key onto PAX_MASTER_KEY_ID; payloads are not re-encrypted')
  .action(async () => {
    const rewrapped = await withServices(async (services) => {
      const bar = new SingleBar({ format: 'rewrapping {bar} {value}/{total}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
      try {
        return await rewrapSealedKeys(services.db, services.config.keyring, (done, total) => (done === 1 ? bar.start(total, done) : bar.update(done)));
      } finally {
        bar.stop();
      }
    });
    const current = loadConfig().keyring.currentKeyId;
    say(`${rewrapped} data keys now wrapped by "${current}"; keys other than "${current}" can leave PAX_MASTER_KEYS`);
  });

const designations = program.command('designations').description('designations from the official sanctions lists');
designations
  .command('import')
  .description('import a whole published list in one transaction and print the diff: new organisations, new and changed designations, aliases added, de-listings')
  .argument('<file>', 'the list as published (XML), or a PAX designations CSV')
  .requiredOption('--source <source>', 'un, ofac, uk, eu or csv', (v) => listOf(Object.values(DesignationSource), 'source')(v.toUpperCase())[0])
  .option('--dry-run', 'print what would change and write nothing')
  .option('--allow-mass-delisting', 'let the import de-list more than 10% (and more than 3) of the list\'s active designations')
  .option('--agency <slug>', 'the agency the import is made for: the audit log names it, and it creates the new organisations (required unless --dry-run)')
  .option('--format <format>', 'json or text', 'json')
  .action(async (file: string, options: { source: DesignationSource; dryRun?: boolean; allowMassDelisting?: boolean; agency?: string; format: string }) => {
    if (!['json', 'text'].includes(options.format)) throw new InvalidArgumentError('--format is json or text');
    if (!options.agency && !options.dryRun) throw new ConfigError('name the agency the import is made for with --agency <slug> (or look first with --dry-run)');
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const result = await withServices(async (services) => {
      const agency = options.agency ? await services.partners.findActiveBySlug(options.agency) : null;
      if (options.agency && agency?.kind !== PartnerKind.AGENCY) throw new ConfigError(`${options.agency} is not an active agency partner; see \`pax partner add\``);
      const principal = agency && principalFromPartner(agency, 'pax-cli', [Role.AGENCY_SYSTEM], Number.MAX_SAFE_INTEGER);
      const ctx = createContext(services, principal, `cli:designations-import:${Date.now()}`, false);
      const bar = new SingleBar({ format: '{phase} {bar} {value}/{total}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
      let phase = '';
      const progress = (next: string, done: number, total: number) => {
        if (next !== phase) {
          if (phase) bar.stop();
          phase = next;
          bar.start(total, done, { phase });
        } else bar.update(done);
      };
      const run = () => services.designationImports.import(ctx, { source: options.source, content, dryRun: options.dryRun, allowMassDelisting: options.allowMassDelisting }, progress);
      try {
        return principal ? await services.audit.around({ principal, requestId: ctx.requestId }, 'cli designations import', run) : await run();
      } catch (error) {
        // A refused file already says what is wrong and where; a stack trace would add nothing.
        throw error instanceof PaxError ? new ConfigError(error.message) : error;
      } finally {
        if (phase) bar.stop();
      }
    });
    // The CLI's event bus is in-process unless REDIS_URL names the servers' Redis.
    if (result.reviewFlagsRaised > 0 && !process.env.REDIS_URL) {
      process.stderr.write(`pax: warning: ${result.reviewFlagsRaised} takedown requests were flagged for review, but subscribers of running servers will not hear these flags; set REDIS_URL to the servers' Redis so that they do (the flags themselves are recorded)\n`);
    }
    process.stdout.write(options.format === 'text' ? importResultText(result) : `${JSON.stringify(result, null, 2)}\n`);
  });

program
  .command('screen')
  .description('screen accounts offline against removed accounts; one JSON line per candidate on stdout')
  .option('--banned <file>', 'JSON lines of removed accounts: {"id","platform","handle","displayName","bio","links","avatarPdq"}')
  .option('--signals <dir>', 'a local copy of the signal feed, kept by `pax signals pull` (instead of --banned)')
  .requiredOption('--candidates <file>', 'JSON lines of accounts to screen, same fields')
  .option('--out <file>', 'write results here instead of stdout')
  .action(async (options: { banned?: string; signals?: string; candidates: string; out?: string }) => {
    if (!options.banned === !options.signals) program.error('give either --banned FILE or --signals DIR');
    const out = options.out ? fs.createWriteStream(options.out) : process.stdout;
    const source = options.signals ? { signals: options.signals } : { banned: options.banned! };
    const screened = await screenFiles(source, options.candidates, out, process.stderr);
    if (options.out) await new Promise((resolve) => (out as fs.WriteStream).end(resolve));
    process.stderr.write(`screened ${screened} candidates${options.out ? ` into ${options.out}` : ''}\n`);
  });

const signals = program.command('signals').description('the signed signal feed of removed accounts');
signals
  .command('pull')
  .description('keep a local copy of the signal feed current: a snapshot first, then the changes; verified, resumable')
  .requiredOption('--dir <dir>', 'where the local copy lives')
  .requiredOption('--url <url>', 'the PAX server, e.g. https://pax.example')
  .option('--no-image', 'do not build an index image of a new snapshot (`pax screen --signals` then builds the index from the JSON each time)')
  .action(async (options: { dir: string; url: string; image: boolean }) => {
    const token = process.env.PAX_TOKEN;
    if (!token) return program.error('set PAX_TOKEN to a PLATFORM_SYSTEM token (it is not taken on the command line, where other users could read it)');
    try {
      say(JSON.stringify(await pullSignals({ dir: options.dir, url: options.url, token, progress: process.stderr, image: options.image })));
    } catch (error) {
      if (error instanceof PullError) program.error(error.message);
      throw error;
    }
  });
keyGenerator(signals, 'keygen', 'print a new signing key entry for PAX_SIGNAL_KEYS (put it first to rotate; keep the old one listed)', generateSignalKey);
signals
  .command('compact')
  .description('drop changes up to a cursor that no client needs any more; clients behind it must take a new snapshot')
  .requiredOption('--floor <cursor>', 'the cursor to compact up to', (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a cursor is a whole number');
    return Number(value);
  })
  .action(async (options: { floor: number }) => {
    // The database alone: compaction needs neither the mirror index nor the signing keys.
    const { databaseUrl, dbPoolSize } = databaseFromEnv();
    const db = createDataSource(databaseUrl, { poolSize: dbPoolSize });
    await db.initialize();
    try {
      const removed = await new SignalService(db, null, pino({ level: 'silent' })).compact(options.floor);
      say(JSON.stringify({ floor: options.floor, removed }));
    } finally {
      await db.destroy();
    }
  });

program
  .command('hash-image')
  .description('print the PDQ hash of each image as "hex,quality,file", as Meta\'s reference hasher does')
  .argument('<files...>', 'image files (JPEG, PNG, WebP, GIF, TIFF, AVIF)')
  .option('--dihedral', 'also print the hashes of the 7 rotations and flips, one line each')
  .option('--variants', 'also print PAX\'s internal hashes of the normalised forms (not PDQs: never for HMA), one line each: #variant for indexing a removed avatar, #probe for screening')
  .action(async (files: string[], options: { dihedral?: boolean; variants?: boolean }) => {
    let failed = 0;
    for (const file of files) {
      try {
        // The normalised forms take five times as long to hash: only when asked for.
        const result = options.variants ? await avatarHashes(file) : { ...(await pdqFromImage(file)), variants: [], probes: [] };
        say(`${result.hex},${result.quality},${file}`);
        if (options.dihedral) {
          for (const [variant, hex] of Object.entries(result.dihedral)) if (variant !== 'original') say(`${hex},${result.quality},${file}#${variant}`);
        }
        if (options.variants) {
          for (const hex of result.variants) say(`${hex},,${file}#variant`);
          const plain = new Set([result.hex, ...Object.values(result.dihedral)]);
          for (const hex of screeningAvatar(result).avatarPdq.filter((h) => !plain.has(h))) say(`${hex},,${file}#probe`);
        }
      } catch (error) {
        failed++;
        process.stderr.write(`pax: cannot hash ${file}: ${(error as Error).message}\n`);
      }
    }
    if (failed) process.exitCode = 1;
  });

program
  .command('schema')
  .description('print the GraphQL schema (SDL) generated from the code')
  .option('--out <file>', 'write to a file instead of stdout')
  .action(async (options: { out?: string }) => {
    const sdl = printPaxSchema(await buildPaxSchema(createInMemoryEventBus()));
    if (options.out) fs.writeFileSync(options.out, sdl);
    else process.stdout.write(sdl);
  });

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`pax: ${error.message}\n`);
  if (process.env.PAX_DEBUG) process.stderr.write(`${error.stack}\n`);
  // A ConfigError already says what to do; a stack only helps with the unexpected.
  else if (!(error instanceof ConfigError)) process.stderr.write('(set PAX_DEBUG=1 for the stack trace)\n');
  process.exit(1);
});
