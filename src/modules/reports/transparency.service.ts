import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isAuditor, scopeComplaints, scopeMirrorAlerts, scopeTakedownRequests } from '../../access/policy';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { badInput } from '../../common/errors';
import { secondsBetween } from '../../db/dialect';
import { Complaint } from '../complaints/complaint.entity';
import { MirrorAlert, MirrorAlertStatus } from '../mirrors/mirror-alert.entity';
import { Partner } from '../partners/partner.entity';
import { CLOCK_RUNNING, StatusHistoryEntry, TakedownRequest, TakedownRequestAccount, TakedownRequestOrganisation } from '../takedowns/takedown.entity';
import { TakedownStatus as S } from '../takedowns/takedown.enums';
import { ReportCount, ReportTally, TransparencyReport, TransparencyReportInput } from './transparency.types';

const HOUR = 3600;
const int = (value: unknown) => Number(value ?? 0);
const share = (part: number, whole: number) => (whole ? part / whole : null);

/**
 * The transparency report. Every figure is an aggregate computed by the database (COUNT, GROUP BY,
 * and percentiles by nearest rank through ORDER BY … OFFSET), on SQLite and PostgreSQL alike; no
 * request rows are loaded. Each caller sees the aggregates of what it may see: its own visibility
 * for caseworkers, everything for auditors (aggregates carry no personal data).
 */
export class TransparencyReports {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async report(principal: Principal, input: TransparencyReportInput): Promise<TransparencyReport> {
    if (input.from.getTime() >= input.to.getTime()) throw badInput('from must be before to', { field: 'from' });
    const agencyId = input.agency ? (await this.db.getRepository(Partner).findOneBy({ slug: input.agency }))?.id ?? 'unknown' : null;
    const filters = { ...input, agencyId };

    /** Requests of the report: visible, submitted in the period, matching the filters. */
    const inScope = <T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, period = true) => {
      if (!isAuditor(principal)) scopeTakedownRequests(query, alias, principal);
      query.andWhere(`${alias}.status <> :draft`, { draft: S.DRAFT });
      if (period) query.andWhere(`${alias}.submittedAt >= :from AND ${alias}.submittedAt < :to`, { from: input.from, to: input.to });
      if (filters.platform) query.andWhere(`${alias}.platform = :platform`, { platform: filters.platform });
      if (filters.agencyId) query.andWhere(`${alias}.originatorPartnerId = :agency`, { agency: filters.agencyId });
      if (filters.organisation) {
        const linked = query.subQuery().select('o.takedownRequestId').from(TakedownRequestOrganisation, 'o').where('o.organisationId = :organisation', { organisation: filters.organisation });
        query.andWhere(`${alias}.id IN ${linked.getQuery()}`, linked.getParameters());
      }
      return query;
    };
    const requests = () => inScope(this.db.getRepository(TakedownRequest).createQueryBuilder('r'), 'r');
    /** History entries of in-scope requests. */
    const entries = (...statuses: S[]) => {
      const query = this.db.getRepository(StatusHistoryEntry).createQueryBuilder('h').where('h.toStatus IN (:...statuses)', { statuses });
      const ids = inScope(query.subQuery().select('r.id').from(TakedownRequest, 'r'), 'r');
      return query.andWhere(`h.takedownRequestId IN ${ids.getQuery()}`, ids.getParameters());
    };

    const breakdown = async (key: string, join?: (q: SelectQueryBuilder<TakedownRequest>) => SelectQueryBuilder<TakedownRequest>): Promise<ReportCount[]> => {
      const query = requests().innerJoin(TakedownRequestAccount, 'tra', 'tra.takedownRequestId = r.id');
      const rows = await (join ? join(query) : query)
        .select(key, 'key')
        .addSelect('COUNT(DISTINCT r.id)', 'requests')
        .addSelect('COUNT(DISTINCT tra.accountId)', 'accounts')
        .groupBy(key)
        .orderBy('requests', 'DESC')
        .addOrderBy(key, 'ASC')
        .getRawMany();
      return rows.map((row) => ({ key: String(row.key), requests: int(row.requests), accounts: int(row.accounts) }));
    };
    const tally = async (status: S, key: string): Promise<ReportTally[]> =>
      (await entries(status).select(key, 'key').addSelect('COUNT(*)', 'count').groupBy(key).orderBy('count', 'DESC').addOrderBy(key, 'ASC').getRawMany()).map((row) => ({
        key: String(row.key),
        count: int(row.count),
      }));
    const requestsWith = async (status: S) => int((await entries(status).select('COUNT(DISTINCT h.takedownRequestId)', 'n').getRawOne())?.n);

    const totals = await requests()
      .leftJoin(TakedownRequestAccount, 'tra', 'tra.takedownRequestId = r.id')
      .select('COUNT(DISTINCT r.id)', 'requests')
      .addSelect('COUNT(DISTINCT tra.accountId)', 'accounts')
      .getRawOne();
    const total = int(totals?.requests);

    // Hours from submission to the first ACTIONED, one row per request.
    const toAction = () =>
      entries(S.ACTIONED)
        .innerJoin(TakedownRequest, 'r', 'r.id = h.takedownRequestId')
        .select(secondsBetween(this.db, 'r.submittedAt', 'MIN(h.at)'), 'seconds')
        .groupBy('h.takedownRequestId')
        .addGroupBy('r.submittedAt');
    const actioned = await requestsWith(S.ACTIONED);
    const answered = await entries(S.ACTIONED, S.REJECTED)
      .innerJoin(TakedownRequest, 'r', 'r.id = h.takedownRequestId')
      .select('h.takedownRequestId', 'id')
      .addSelect(`CASE WHEN MAX(h.at) <= r.deadlineAt THEN 1 ELSE 0 END`, 'inTime')
      .groupBy('h.takedownRequestId')
      .addGroupBy('r.deadlineAt')
      .getRawMany();
    const overdueNow = await inScope(this.db.getRepository(TakedownRequest).createQueryBuilder('r'), 'r', false)
      .andWhere('r.status IN (:...running) AND r.deadlineAt < :now', { running: CLOCK_RUNNING, now: this.clock.now() })
      .getCount();
    const escalatedThenActioned = await entries(S.ESCALATED)
      .innerJoin(StatusHistoryEntry, 'later', 'later.takedownRequestId = h.takedownRequestId AND later.sequence > h.sequence AND later.toStatus = :actioned', { actioned: S.ACTIONED })
      .select('COUNT(DISTINCT h.takedownRequestId)', 'n')
      .getRawOne();

    const alerts = this.db.getRepository(MirrorAlert).createQueryBuilder('m').where('m.createdAt >= :from AND m.createdAt < :to', { from: input.from, to: input.to });
    if (!isAuditor(principal)) scopeMirrorAlerts(alerts, 'm', principal);
    if (filters.platform) alerts.andWhere('m.platform = :platform', { platform: filters.platform });
    const alertCounts = await alerts.select('COUNT(*)', 'raised').addSelect(`SUM(CASE WHEN m.status = '${MirrorAlertStatus.CONFIRMED}' THEN 1 ELSE 0 END)`, 'confirmed').getRawOne();

    const complaints = () => {
      const query = this.db.getRepository(Complaint).createQueryBuilder('c').where('c.receivedAt >= :from AND c.receivedAt < :to', { from: input.from, to: input.to });
      if (!isAuditor(principal)) scopeComplaints(query, 'c', principal);
      if (filters.agencyId) query.andWhere('c.intakePartnerId = :agency', { agency: filters.agencyId });
      if (filters.platform) query.andWhere('c.platform = :platform', { platform: filters.platform });
      return query;
    };
    const byStatus = await complaints().select('c.status', 'key').addSelect('COUNT(*)', 'count').groupBy('c.status').orderBy('c.status').getRawMany();
    const toTriage = () => complaints().andWhere('c.triagedAt IS NOT NULL').select(secondsBetween(this.db, 'c.receivedAt', 'c.triagedAt'), 'seconds');

    return {
      from: input.from,
      to: input.to,
      generatedAt: this.clock.now(),
      requests: total,
      accounts: int(totals?.accounts),
      byPlatform: await breakdown('r.platform'),
      byAgency: await breakdown('agency.slug', (q) => q.innerJoin(Partner, 'agency', 'agency.id = r.originatorPartnerId')),
      byLegalBasis: await breakdown('r.legalInstrument'),
      byKind: await breakdown('r.kind'),
      byPriority: await breakdown('r.priority'),
      actionedByAction: await tally(S.ACTIONED, 'h.action'),
      rejectedByReason: await tally(S.REJECTED, 'h.reasonCode'),
      withdrawn: await requestsWith(S.WITHDRAWN),
      reinstated: await requestsWith(S.REINSTATED),
      medianHoursToAction: await this.nearestRank(toAction, actioned, 0.5),
      p90HoursToAction: await this.nearestRank(toAction, actioned, 0.9),
      shareAnsweredInTime: share(answered.filter((row) => int(row.inTime) === 1).length, answered.length),
      overdueNow,
      clarificationRate: share(await requestsWith(S.INFO_REQUESTED), total),
      escalated: await requestsWith(S.ESCALATED),
      escalatedThenActioned: int(escalatedThenActioned?.n),
      mirrorAlertsRaised: int(alertCounts?.raised),
      mirrorAlertsConfirmed: int(alertCounts?.confirmed),
      complaintsReceived: byStatus.reduce((sum, row) => sum + int(row.count), 0),
      complaintsByStatus: byStatus.map((row) => ({ key: String(row.key), count: int(row.count) })),
      medianHoursToTriage: await this.nearestRank(toTriage, await toTriage().getCount(), 0.5),
    };
  }

  /**
   * The nearest-rank percentile of a one-column query of seconds, in hours: the database sorts
   * and skips to the row, so only that one value is read.
   */
  private async nearestRank(rows: () => SelectQueryBuilder<ObjectLiteral>, count: number, percentile: number): Promise<number | null> {
    if (count === 0) return null;
    const inner = rows();
    const row = await this.db
      .createQueryBuilder()
      .select('d.seconds', 'seconds')
      .from(`(${inner.getQuery()})`, 'd')
      .setParameters(inner.getParameters())
      .orderBy('d.seconds', 'ASC')
      .offset(Math.ceil(percentile * count) - 1)
      .limit(1)
      .getRawOne();
    // julianday() arithmetic is floating point; whole seconds are what the timestamps hold.
    return row ? Math.round(Number(row.seconds)) / HOUR : null;
  }
}
