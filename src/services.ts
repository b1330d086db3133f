import type { Logger } from 'pino';
import { createLogger } from './observability/logger';
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { PaxConfig } from './config';
import { Principal } from './auth/principal';
import { TokenVerifier } from './auth/jwt';
import { applyMigrations, assertMigrated, createDataSource } from './db/data-source';
import { refreshPlannerStatistics } from './db/dialect';
import { createInMemoryEventBus, EventBus } from './events/event-bus';
import { createRedisEventBus, RedisEventBus } from './events/redis-event-bus';
import { PaxMetrics } from './observability/metrics';
import { createLoaders } from './loaders';
import { AccountService } from './modules/accounts/account.service';
import { IdempotencyService } from './modules/idempotency/idempotency.service';
import { OrganisationService } from './modules/organisations/organisation.service';
import { PartnerDirectory } from './modules/partners/partner.service';
import { TakedownService } from './modules/takedowns/takedown.service';
import { MirrorService } from './modules/mirrors/mirror.service';
import { SignalService } from './modules/signals/signal.service';
import type { PaxContext } from './context';
import { Clock, systemClock } from './common/clock';
import { EvidenceService } from './modules/evidence/evidence.service';
import { DisclosureService } from './modules/disclosures/disclosure.service';
import { DeadlineEscalation } from './modules/takedowns/escalation';
import { AuditLog } from './modules/audit/audit.service';
import { ComplaintService } from './modules/complaints/complaint.service';
import { TransparencyReports } from './modules/reports/transparency.service';
import { TaskPool } from './workers/task-pool';
import { WebhookService } from './modules/webhooks/webhook.service';
import { WebhookDispatcher } from './modules/webhooks/dispatcher';
import { StixExporter } from './modules/stix/stix-export';
import { StixImportService } from './modules/stix/stix-import.service';
import { DesignationImportService } from './modules/designations/designation-import.service';

/** Everything a request needs, built once per process. */
export interface Services {
  config: PaxConfig;
  db: DataSource;
  log: Logger;
  events: EventBus;
  /** Set when REDIS_URL is: the bus then spans instances. */
  redis?: RedisEventBus;
  metrics: PaxMetrics;
  statisticsTimer: NodeJS.Timeout;
  tokens: TokenVerifier;
  partners: PartnerDirectory;
  organisations: OrganisationService;
  designationImports: DesignationImportService;
  accounts: AccountService;
  takedowns: TakedownService;
  mirrors: MirrorService;
  /** The signed signal feed of removed accounts (GET /signals/v1/...). */
  signals: SignalService;
  /** Worker threads for CPU-heavy request work (PAX_WORKER_THREADS). */
  workers: TaskPool;
  evidence: EvidenceService;
  disclosures: DisclosureService;
  escalation: DeadlineEscalation;
  audit: AuditLog;
  complaints: ComplaintService;
  reports: TransparencyReports;
  webhooks: WebhookService;
  /** Sends the webhook outbox; `pax serve` starts it unless PAX_WEBHOOK_WORKER=false. */
  webhookDispatcher: WebhookDispatcher;
  /** STIX 2.1 export (GraphQL, TAXII, pax export stix) and import proposals. */
  stix: StixExporter;
  stixImports: StixImportService;
  anchorTimer?: NodeJS.Timeout;
  clock: Clock;
  sweepTimer: NodeJS.Timeout;
}

/** Opens the database (running migrations when configured, else refusing an unmigrated one) and wires the services. */
export async function openServices(
  config: PaxConfig,
  log: Logger = createLogger(config.logLevel),
  queryLogger?: TypeOrmLogger,
  clock: Clock = systemClock,
): Promise<Services> {
  const db = createDataSource(config.databaseUrl, { poolSize: config.dbPoolSize, logger: queryLogger });
  await db.initialize();
  try {
    if (config.migrateOnStart) {
      const applied = await applyMigrations(db);
      if (applied.length) log.info({ migrations: applied }, 'applied migrations');
    } else {
      await assertMigrated(db);
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  await refreshPlannerStatistics(db);
  const statisticsTimer = setInterval(() => void refreshPlannerStatistics(db).catch((err) => log.warn({ err }, 'PRAGMA optimize failed')), 3_600_000);
  statisticsTimer.unref();
  const redis = config.redisUrl ? createRedisEventBus(config.redisUrl, log) : undefined;
  const events = redis?.bus ?? createInMemoryEventBus();
  const partners = new PartnerDirectory(db, config.partnerCacheSeconds);
  const evidence = new EvidenceService(db, config.keyring, config.evidenceMaxBytes);
  const workers = new TaskPool(config.workers);
  const accounts = new AccountService(db, evidence, workers);
  const idempotency = new IdempotencyService(db);
  const takedowns = new TakedownService(db, events, config.sla, partners, accounts, idempotency, clock);
  const signals = new SignalService(db, config.signalKeys, log, clock);
  await signals.reconcile();
  const mirrors = new MirrorService(db, events, log, takedowns, workers, config.workers, clock, signals);
  accounts.afterFlag = (ctx, account) => mirrors.screenFlagged(ctx, account);
  await mirrors.start();
  const disclosures = new DisclosureService(db, events, clock, config.keyring, { sla: config.sla, instruments: config.disclosureInstruments, maxBytes: config.disclosureMaxBytes }, partners, takedowns, evidence);
  const escalation = new DeadlineEscalation(db, events, clock, config.sla);
  const sweepTimer = setInterval(() => {
    void escalation.sweep().catch((err) => log.warn({ err }, 'deadline escalation sweep failed'));
    void disclosures.sweep().catch((err) => log.warn({ err }, 'preservation and notification sweep failed'));
  }, config.sweepIntervalSeconds * 1000);
  sweepTimer.unref();
  const audit = new AuditLog(db, clock);
  const anchorTimer = config.auditAnchorSeconds > 0 ? setInterval(() => void anchor(audit, log), config.auditAnchorSeconds * 1000) : undefined;
  anchorTimer?.unref();
  const metrics = new PaxMetrics(db);
  const organisations = new OrganisationService(db);
  const webhookDispatcher = new WebhookDispatcher(db, config.keyring, partners, metrics, log, config.webhooks, (principal) => createContext(services, principal, `webhook:${principal.sub}`, false), clock);
  const services: Services = {
    config,
    db,
    log,
    events,
    redis,
    metrics,
    statisticsTimer,
    tokens: new TokenVerifier(config.jwt, partners),
    partners,
    organisations,
    designationImports: new DesignationImportService(db, events, clock, workers),
    accounts,
    takedowns,
    mirrors,
    signals,
    workers,
    evidence,
    disclosures,
    escalation,
    audit,
    anchorTimer,
    reports: new TransparencyReports(db, clock),
    complaints: new ComplaintService(db, clock, config.keyring, config.complaintsPerMinute, accounts, takedowns, mirrors, partners),
    clock,
    sweepTimer,
    webhooks: new WebhookService(db, config.keyring, clock, config.webhooks.transport.allowLoopback),
    webhookDispatcher,
    stix: new StixExporter(organisations, accounts, takedowns),
    stixImports: new StixImportService(db, accounts),
  };
  return services;
}

export async function closeServices(services: Services): Promise<void> {
  clearInterval(services.statisticsTimer);
  clearInterval(services.sweepTimer);
  clearInterval(services.anchorTimer);
  await services.webhookDispatcher.stop();
  await services.mirrors.stop();
  await services.workers.close();
  await services.redis?.close();
  if (services.db.isInitialized) await services.db.destroy();
}

/** Logs the audit chain head, so it can be published or signed outside PAX (PAX_AUDIT_ANCHOR_SECONDS). */
async function anchor(audit: AuditLog, log: Logger): Promise<void> {
  try {
    log.info({ auditHead: await audit.head() }, 'audit chain head');
  } catch (err) {
    log.warn({ err }, 'could not read the audit chain head');
  }
}

/** What /readyz reports: the database, and Redis when it is configured. */
export async function readiness(services: Services): Promise<{ ready: boolean; database: string; redis?: string }> {
  const database = await services.db.query('SELECT 1').then(
    () => 'up',
    () => 'down',
  );
  const redis = services.redis ? ((await services.redis.isReady()) ? 'up' : 'down') : undefined;
  return { ready: database === 'up' && redis !== 'down', database, ...(redis ? { redis } : {}) };
}

/**
 * What resolvers receive: the operation's context plus the service registry. Module services take
 * the plain `PaxContext`, so the context module never imports the registry that imports them.
 */
export interface ResolverContext extends PaxContext {
  services: Services;
}

/** An operation's context. Long-lived subscription contexts pass `cache: false` to read fresh rows. */
export function createContext(services: Services, principal: Principal | null, requestId: string, cache: boolean): ResolverContext {
  const ctx: ResolverContext = { principal, requestId, services, loaders: undefined as never, sensitiveReads: new Map() };
  ctx.loaders = createLoaders(services.db, services.partners, () => ctx.principal, cache);
  return ctx;
}
