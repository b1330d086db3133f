import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { AuditLog } from './audit.service';

/**
 * Unauthenticated refusals (no token, a bad or expired one) are counted, not appended one by one:
 * anyone can send them, and a row each would let anyone grow the hash chain at will. Each window
 * that saw any becomes one chain entry per transport saying how many there were and when, so they
 * stay visible to auditors at a bounded cost. Refusals of authenticated partners (FORBIDDEN) are
 * still logged one by one: they are attributable, and the per-partner rate limit bounds them.
 */
export class RefusalTally {
  private counts = new Map<string, number>();
  private windowStart = new Date();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly audit: AuditLog,
    private readonly log: Logger,
    private readonly counter: Counter<'transport'>,
    windowSeconds: number,
  ) {
    this.timer = setInterval(() => void this.flush(), windowSeconds * 1000);
    this.timer.unref();
  }

  /** One unauthenticated attempt over `transport` (http or websocket). */
  count(transport: string): void {
    this.counter.inc({ transport });
    this.counts.set(transport, (this.counts.get(transport) ?? 0) + 1);
  }

  /** Writes the window's tallies (at most one entry per transport) and starts a new window. */
  flush(): Promise<void> {
    const counts = this.counts;
    const from = this.windowStart;
    this.counts = new Map();
    this.windowStart = new Date();
    if (counts.size === 0) return this.flushing;
    const window = `${from.toISOString()}/${this.windowStart.toISOString()}`;
    this.flushing = this.flushing
      .then(() =>
        this.audit.record(
          { principal: null, requestId: window },
          ...[...counts].map(([transport, n]) => ({ action: `authenticate ${transport} (${n} refused)`, objectType: 'RefusalTally', outcome: 'UNAUTHENTICATED' })),
        ),
      )
      .then(() => this.log.warn({ window, refused: Object.fromEntries(counts) }, 'unauthenticated requests refused'))
      .catch((err) => this.log.error({ err }, 'could not write the refusal tally to the audit log'));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
