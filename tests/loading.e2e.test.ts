import { useCasework } from './helpers/casework';

const QUEUE = `query($first: Int) { takedownRequests(first: $first) { totalCount nodes {
  id status legalBasis { instrument } addressedTo { slug } requestedBy { slug }
  accounts { handle evidence { url } organisations { name designations { reference } } takedownRequests { id } }
  organisations { name } evidence { url } history { toStatus note actor { partner { slug } sub } } } } }`;

describe('relation loading', () => {
  // The webhook worker polls the database in the background; its statements are not the queue's.
  const t = useCasework({ PAX_WEBHOOK_WORKER: 'false' });

  it('runs the same number of SQL statements for a page of 1, 10 or 25 requests', async () => {
    const org = await t.cw.organisation();
    for (let i = 0; i < 25; i++) {
      const account = await t.cw.account({ organisationIds: [org], evidence: [{ url: `https://e.example/${i}`, classification: 'SHAREABLE' }] });
      const draft = await t.cw.draft({ accountIds: [account] });
      await t.cw.move(t.cw.supervisor, draft.id, 'SUBMITTED');
    }
    // Warm the partner cache, so every measured request does the same work.
    await t.cw.ok(t.cw.xReviewer, QUEUE, { first: 1 });
    const statements: Record<number, number> = {};
    for (const first of [1, 10, 25]) {
      statements[first] = await t.exchange.queries.measure(async () => {
        const data = await t.cw.ok(t.cw.xReviewer, QUEUE, { first });
        expect(data.takedownRequests.nodes).toHaveLength(first);
      });
    }
    expect(statements[10]).toBe(statements[1]);
    expect(statements[25]).toBe(statements[1]);
    expect(statements[1]).toBeLessThan(25);
    process.stdout.write(`SQL statements per queue page: ${JSON.stringify(statements)}\n`);
  });
});
