import { createInMemoryEventBus } from '../src/events/event-bus';
import { DeadlineEscalation } from '../src/modules/takedowns/escalation';
import { ManualClock } from './helpers/exchange';
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
    const ours = published.filter((p) => requests.some((r) => p.startsWith(r.id)));
    expect(ours).toHaveLength(36);
    expect(new Set(ours).size).toBe(36);
  });
});
