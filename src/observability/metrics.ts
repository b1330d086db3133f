import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { engineOf } from '../db/dialect';

const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Prometheus metrics for one server: its own registry, so several servers can share a process. */
export class PaxMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  readonly requests = new Counter({
    name: 'pax_graphql_requests_total',
    help: 'GraphQL operations by name, type and outcome',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'pax_graphql_request_duration_seconds',
    help: 'GraphQL operation latency by name',
    labelNames: ['operation', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly activeSubscriptions = new Gauge({
    name: 'pax_subscriptions_active',
    help: 'Open GraphQL subscriptions on this instance',
    registers: [this.registry],
  });

  readonly unauthenticatedRefusals = new Counter({
    name: 'pax_unauthenticated_refusals_total',
    help: 'Requests and connections refused for a missing or bad token, by transport',
    labelNames: ['transport'],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'pax_webhook_deliveries_total',
    help: 'Webhook delivery attempts by event type and outcome (delivered, retry, failed, not_visible)',
    labelNames: ['event_type', 'outcome'],
    registers: [this.registry],
  });
  readonly webhookAttemptDuration = new Histogram({
    name: 'pax_webhook_attempt_duration_seconds',
    help: 'Time to render, sign and post one webhook delivery',
    labelNames: ['event_type'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });

  constructor(db: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'pax_db_pool_connections',
      help: 'Database connections by state (SQLite has a single connection)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = (db.driver as unknown as { master?: PgPool }).master;
        if (engineOf(db) !== 'postgres' || !pool) {
          this.set({ state: 'total' }, db.isInitialized ? 1 : 0);
          return;
        }
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** Client-chosen operation names become labels only while they stay few and well-formed. */
  operationLabel(name: string | null | undefined): string {
    if (!name || !OPERATION_NAME.test(name)) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_NAMES) return 'other';
    this.operations.add(name);
    return name;
  }

  apolloPlugin(): ApolloServerPlugin {
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse({ operationName, operation, errors, response }) {
            const labels = { operation: metrics.operationLabel(operationName), type: operation?.operation ?? 'unknown' };
            const body = response.body;
            const failed = (errors?.length ?? 0) > 0 || (body.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0);
            metrics.requests.inc({ ...labels, outcome: failed ? 'error' : 'ok' });
            metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          },
        };
      },
    };
  }
}
