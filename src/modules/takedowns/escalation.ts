import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { inTransaction } from '../../db/transaction';
import { EventBus, TakedownOverdueEvent } from '../../events/event-bus';
import { recordWebhookEvent } from '../webhooks/outbox';
import { SlaPolicy, slaHours } from './sla';
import { CLOCK_RUNNING, TakedownRequest } from './takedown.entity';
import { DeadlineLevel } from './takedown.enums';

const HOUR = 3_600_000;

/** Each level, the share of the time allowed at which it fires, and the column that claims it. */
const LEVELS = [
  { level: DeadlineLevel.WARNING_50, share: 0.5, column: 'deadlineWarning50For' },
  { level: DeadlineLevel.WARNING_90, share: 0.9, column: 'deadlineWarning90For' },
  { level: DeadlineLevel.OVERDUE, share: 1, column: 'overdueNoticeFor' },
] as const;

/**
 * Finds requests whose platform is running out of time and publishes `TAKEDOWN_OVERDUE` at 50% and
 * 90% of the time allowed and once the deadline has passed. A notice is claimed with a conditional
 * UPDATE that records the deadline it was for, so with several instances sweeping the same
 * database each notice goes out once; a new clock (escalation, clarification) earns new notices.
 */
export class DeadlineEscalation {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly sla: SlaPolicy,
  ) {}

  async sweep(): Promise<Record<DeadlineLevel, number>> {
    const now = this.clock.now().getTime();
    const longest = Math.max(...this.sla.map((rule) => rule.hours)) * HOUR;
    // Anything within half the longest allowance of its deadline may be due for a notice.
    const candidates = await this.db
      .getRepository(TakedownRequest)
      .createQueryBuilder('r')
      .where('r.status IN (:...running) AND r.deadlineAt IS NOT NULL AND r.deadlineAt <= :horizon', { running: CLOCK_RUNNING, horizon: new Date(now + longest / 2) })
      .getMany();
    const sent = { [DeadlineLevel.WARNING_50]: 0, [DeadlineLevel.WARNING_90]: 0, [DeadlineLevel.OVERDUE]: 0 };
    for (const request of candidates) {
      const deadline = request.deadlineAt!.getTime();
      const allowed = slaHours(this.sla, request.legalInstrument, request.priority, request.kind) * HOUR;
      // Only the highest level reached is sent: a request found already overdue gets no 50% warning.
      const due = [...LEVELS].reverse().find(({ share }) => now >= deadline - (1 - share) * allowed);
      if (!due || request[due.column]?.getTime() === deadline) continue;
      const notice = { requestId: request.id, level: due.level, deadlineAt: request.deadlineAt!.toISOString() };
      if (!(await this.claim(request, due.column, notice))) continue;
      sent[due.level]++;
      this.events.publish('TAKEDOWN_OVERDUE', notice);
    }
    return sent;
  }

  /** Claims the notice; the webhook event commits with the claim, so it too goes out once. */
  private async claim(request: TakedownRequest, column: (typeof LEVELS)[number]['column'], notice: TakedownOverdueEvent): Promise<boolean> {
    return inTransaction(this.db, async (em) => {
      const result = await em
        .createQueryBuilder()
        .update(TakedownRequest)
        .set({ [column]: request.deadlineAt })
        .where(`id = :id AND version = :version AND (${column} IS NULL OR ${column} <> :deadline)`, { id: request.id, version: request.version, deadline: request.deadlineAt })
        .execute();
      if (result.affected !== 1) return false;
      await recordWebhookEvent(em, 'TAKEDOWN_OVERDUE', notice, { objectId: request.id, objectVersion: request.version, platform: request.platform });
      return true;
    });
  }
}
