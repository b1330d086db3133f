import { loadConfig } from '../src/config';
import { createInMemoryEventBus, EventBus } from '../src/events/event-bus';
import { DeadlineEscalation } from '../src/modules/takedowns/escalation';
import { closeServices, openServices, Services } from '../src/services';
import { ManualClock, TEST_SECRET } from './helpers/exchange';
import { useCasework } from './helpers/casework';

const HOURS = 1 / 24;
const NOTICE = `subscription { takedownOverdue { level deadlineAt request { id status overdue } } }`;

describe('deadline escalation', () => {
  const clock = new ManualClock();
  const t = useCasework({}, clock);

  /** A covert (ORIGINATOR_ONLY) request to X, submitted now: a 48-hour PECA clock. */
  async function submitted() {
    const account = await t.cw.account({ distribution: 'ORIGINATOR_ONLY' });
    const request = await t.cw.draft({ accountIds: [account] });
    return t.cw.move(t.cw.supervisor, request.id, 'SUBMITTED');
  }

  it('warns at 50% and 90% of the time allowed and when overdue, once each, to those who may see the request', async () => {
    const [x, pta, meta, moi] = await Promise.all([t.cw.xReviewer, t.cw.analyst, t.cw.metaReviewer, t.cw.moiAnalyst].map((token) => t.exchange.subscribe(token, NOTICE)));
    const request = await submitted();
    const sweep = () => t.exchange.services.escalation.sweep();

    clock.advanceDays(23 * HOURS);
    expect(await sweep()).toEqual({ WARNING_50: 0, WARNING_90: 0, OVERDUE: 0 });
    clock.advanceDays(1 * HOURS);
    expect(await sweep()).toEqual({ WARNING_50: 1, WARNING_90: 0, OVERDUE: 0 });
    expect(await sweep()).toEqual({ WARNING_50: 0, WARNING_90: 0, OVERDUE: 0 });
    clock.advanceDays(19.2 * HOURS);
    expect((await sweep()).WARNING_90).toBe(1);
    clock.advanceDays(5 * HOURS);
    expect((await sweep()).OVERDUE).toBe(1);
    expect((await sweep()).OVERDUE).toBe(0);

    const levels = async (live: typeof x) => [await live.next(), await live.next(), await live.next()].map((e) => e.takedownOverdue.level);
    expect(await levels(x)).toEqual(['WARNING_50', 'WARNING_90', 'OVERDUE']);
    expect(await levels(pta)).toEqual(['WARNING_50', 'WARNING_90', 'OVERDUE']);
    expect(x.events[0].takedownOverdue).toMatchObject({ request: { id: request.id }, deadlineAt: request.deadlineAt });
    expect(await meta.settle(300)).toEqual([]);
    expect(await moi.settle(0)).toEqual([]);
  });

  it('starts over when a new clock starts, and says nothing once the platform has answered', async () => {
    const request = await submitted();
    await t.cw.move(t.cw.xReviewer, request.id, 'REJECTED', { reasonCode: 'NO_VIOLATION', note: 'not terrorist content' });
    clock.advanceDays(3);
    expect(await t.exchange.services.escalation.sweep()).toEqual({ WARNING_50: 0, WARNING_90: 0, OVERDUE: 0 });
    await t.cw.move(t.cw.supervisor, request.id, 'ESCALATED', { escalateAs: 'ORDER' });
    clock.advanceDays(24 * HOURS);
    expect((await t.exchange.services.escalation.sweep()).WARNING_50).toBe(1);
  });

  it('sends each notice once when two schedulers sweep the same database at the same time', async () => {
    const requests = await Promise.all(Array.from({ length: 12 }, submitted));
    const buses = [createInMemoryEventBus(), createInMemoryEventBus()];
    const schedulers = buses.map((bus) => new DeadlineEscalation(t.exchange.services.db, bus, clock, t.exchange.config.sla));
    expect(await sweepAll(clock, schedulers, buses, requests.map((r) => r.id))).toEqual({ sent: 36, distinct: 36 });
  });
});

/** Sweeps through the 50%, 90% and overdue points twice each, and counts the notices published. */
async function sweepAll(clock: ManualClock, schedulers: { sweep(): Promise<unknown> }[], buses: EventBus[], requestIds: string[]) {
  const published: string[] = [];
  for (const bus of buses) {
    void (async () => {
      for await (const event of bus.subscribe('TAKEDOWN_OVERDUE')) published.push(`${event.requestId}:${event.level}`);
    })();
  }
  for (const hours of [24, 19.2, 5]) {
    clock.advanceDays(hours * HOURS);
    await Promise.all(schedulers.map((s) => s.sweep()));
    await Promise.all(schedulers.map((s) => s.sweep()));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const ours = published.filter((p) => requestIds.some((id) => p.startsWith(id)));
  return { sent: ours.length, distinct: new Set(ours).size };
}

/**
 * Two real instances (two sets of services, two pools) on one PostgreSQL database, in
 * `npm run test:postgres`. SQLite is the single-instance engine: two synchronous connections in one
 * process would block each other, so the default run covers the claim with the test above.
 */
(process.env.PAX_TEST_DATABASE_URL ? describe : describe.skip)('deadline escalation across instances', () => {
  const clock = new ManualClock();
  const t = useCasework({}, clock);
  let second: Services;
  beforeAll(async () => {
    second = await openServices(loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.exchange.config.databaseUrl, PAX_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', PAX_SEED_DEMO: 'false' }), undefined, undefined, clock);
  });
  afterAll(() => closeServices(second));

  it('sends each notice once when two instances sweep the same database at the same time', async () => {
    const account = () => t.cw.account();
    const requests = await Promise.all(Array.from({ length: 12 }, async () => t.cw.move(t.cw.supervisor, (await t.cw.draft({ accountIds: [await account()] })).id, 'SUBMITTED')));
    const instances = [t.exchange.services, second];
    const result = await sweepAll(clock, instances.map((instance) => instance.escalation), instances.map((instance) => instance.events), requests.map((r) => r.id));
    expect(result).toEqual({ sent: 36, distinct: 36 });
  });
});
