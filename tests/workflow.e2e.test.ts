import { useCasework, CREATE, DESIGNATE, FLAG, STATUS_CHANGED, UPDATE } from './helpers/casework';
import { TakedownRequest } from '../src/modules/takedowns/takedown.entity';

describe('the takedown workflow, end to end over HTTP and WebSocket', () => {
  const t = useCasework();

  it('designate → flag → draft → submit → acknowledge → action → close, with live events to the agency', async () => {
    const agencyFeed = await t.exchange.subscribe(t.cw.supervisor, STATUS_CHANGED);
    const platformFeed = await t.exchange.subscribe(t.cw.xReviewer, STATUS_CHANGED);

    const org = (
      await t.cw.ok(t.cw.analyst, DESIGNATE, {
        input: {
          name: 'Tehreek-i-Taliban Pakistan',
          aliases: ['TTP', 'تحریک طالبان پاکستان'],
          designations: [{ authority: 'UN', reference: 'QDe.132', designatedOn: '2011-07-29' }],
          internalNotes: 'watch list A',
        },
      })
    ).designateOrganisation;
    expect(org.aliases).toContain('تحریک طالبان پاکستان');
    expect(org.designations).toEqual([{ authority: 'UN', reference: 'QDe.132', designatedOn: '2011-07-29' }]);

    const account = (
      await t.cw.ok(t.cw.analyst, FLAG, {
        input: {
          platform: 'X',
          handle: '@ttp_media',
          displayName: 'TTP Media',
          url: 'https://x.com/ttp_media',
          bio: 'Official channel. Backup: t.me/ttp_backup',
          organisationIds: [org.id],
          distribution: 'ALL_AGENCIES',
          evidence: [{ url: 'https://archive.example/post/1', description: 'recruitment post', classification: 'SHAREABLE' }],
        },
      })
    ).flagAccount;
    expect(account.organisations).toEqual([{ id: org.id }]);

    const draft = (
      await t.cw.ok(t.cw.analyst, CREATE, {
        input: {
          accountIds: [account.id],
          kind: 'ORDER',
          priority: 'STANDARD',
          legalBasis: { instrument: 'PECA 2016', section: 's.37' },
          reasons: ['Propaganda for a proscribed organisation'],
          internalNotes: 'source: informant 7',
        },
      })
    ).createTakedownRequest;
    expect(draft).toMatchObject({ status: 'DRAFT', version: 0, deadlineAt: null, addressedTo: { slug: 'x' }, requestedBy: { slug: 'pta' } });
    expect((await agencyFeed.next()).takedownStatusChanged.entry.toStatus).toBe('DRAFT');

    const submitted = await t.cw.move(t.cw.supervisor, draft.id, 'SUBMITTED', { expectedVersion: 0 });
    expect(submitted.status).toBe('SUBMITTED');
    const hours = (Date.parse(submitted.deadlineAt) - Date.parse(submitted.submittedAt)) / 3_600_000;
    expect(hours).toBeCloseTo(48, 5); // PECA 2016, standard priority
    expect((await agencyFeed.next()).takedownStatusChanged.entry).toMatchObject({ fromStatus: 'DRAFT', toStatus: 'SUBMITTED' });

    const queue = await t.cw.ok(t.cw.xReviewer, `{ takedownRequests(filter: { statuses: [SUBMITTED] }) { totalCount nodes { id internalNotes accounts { handle evidence { url } } } } }`);
    expect(queue.takedownRequests.totalCount).toBe(1);
    expect(queue.takedownRequests.nodes[0]).toEqual({
      id: draft.id,
      internalNotes: null,
      accounts: [{ handle: '@ttp_media', evidence: [{ url: 'https://archive.example/post/1' }] }],
    });
    const platformSaw = (await platformFeed.next()).takedownStatusChanged;
    expect(platformSaw.request).toMatchObject({ id: draft.id, status: 'SUBMITTED', internalNotes: null, distribution: null });

    await t.cw.move(t.cw.xReviewer, draft.id, 'ACKNOWLEDGED', { expectedVersion: 1 });
    const acknowledged = (await agencyFeed.next()).takedownStatusChanged;
    expect(acknowledged.entry).toMatchObject({ toStatus: 'ACKNOWLEDGED', actor: { partner: { slug: 'x' }, sub: null } });

    const actioned = await t.cw.move(t.cw.xReviewer, draft.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED', note: 'suspended under TOS 4.2', expectedVersion: 2 });
    expect(actioned).toMatchObject({ status: 'ACTIONED', version: 3, overdue: false });
    const actionEvent = (await agencyFeed.next()).takedownStatusChanged;
    expect(actionEvent.entry).toMatchObject({ toStatus: 'ACTIONED', note: 'suspended under TOS 4.2', noteClassification: 'SHAREABLE' });
    expect(actionEvent.request.internalNotes).toBe('source: informant 7');

    const closed = await t.cw.move(t.cw.supervisor, draft.id, 'CLOSED');
    expect(closed.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'ACTIONED', 'CLOSED']);
    expect(closed.history.map((h: { sequence: number }) => h.sequence)).toEqual([0, 1, 2, 3, 4]);
    expect((await agencyFeed.next()).takedownStatusChanged.entry.toStatus).toBe('CLOSED');

    await agencyFeed.close();
    await platformFeed.close();
  });

  it('a rejection can be escalated as an order, with a new clock', async () => {
    const r = await t.cw.requestAt('REJECTED');
    const escalated = await t.cw.move(t.cw.supervisor, r.id, 'ESCALATED', { escalateAs: 'ORDER' });
    expect(escalated).toMatchObject({ status: 'ESCALATED', kind: 'ORDER' });
    expect(Date.parse(escalated.deadlineAt)).toBeGreaterThan(Date.now() + 47 * 3_600_000);
  });

  it('INFO_REQUESTED pauses the clock and the clarification resumes it with the time left', async () => {
    const submitted = await t.cw.requestAt('SUBMITTED');
    const left = Date.parse(submitted.deadlineAt) - Date.now();
    const paused = await t.cw.move(t.cw.xReviewer, submitted.id, 'INFO_REQUESTED', { reasonCode: 'MANIFEST_ERROR', note: 'which post?' });
    expect(paused.deadlineAt).toBeNull();
    const resumed = await t.cw.move(t.cw.supervisor, submitted.id, 'SUBMITTED', { note: 'post 1 of the evidence' });
    const leftNow = Date.parse(resumed.deadlineAt) - Date.now();
    expect(Math.abs(leftNow - left)).toBeLessThan(5_000);
    expect(resumed.history.at(-1)).toMatchObject({ fromStatus: 'INFO_REQUESTED', note: 'post 1 of the evidence', noteClassification: 'SHAREABLE' });
  });

  it('the SLA policy sets a one-hour clock for EU TCO removal orders and a 12-hour one for PECA emergencies', async () => {
    const tco = await t.cw.draft({ kind: 'ORDER', instrument: 'EU 2021/784' });
    const tcoSubmitted = await t.cw.move(t.cw.supervisor, tco.id, 'SUBMITTED');
    expect(Date.parse(tcoSubmitted.deadlineAt) - Date.parse(tcoSubmitted.submittedAt)).toBe(3_600_000);
    const emergency = await t.cw.draft({ priority: 'EMERGENCY' });
    const emergencySubmitted = await t.cw.move(t.cw.supervisor, emergency.id, 'SUBMITTED');
    expect(Date.parse(emergencySubmitted.deadlineAt) - Date.parse(emergencySubmitted.submittedAt)).toBe(12 * 3_600_000);
  });

  it('overdue requests show up as overdue, and only they match the overdue filter', async () => {
    const late = await t.cw.requestAt('SUBMITTED');
    const onTime = await t.cw.requestAt('SUBMITTED');
    await t.exchange.services.db.getRepository(TakedownRequest).update(late.id, { deadlineAt: new Date(Date.now() - 60_000) });
    const overdue = await t.cw.ok(t.cw.xReviewer, `{ takedownRequests(filter: { overdue: true }) { nodes { id overdue } } }`);
    expect(overdue.takedownRequests.nodes).toEqual([{ id: late.id, overdue: true }]);
    const current = await t.cw.ok(t.cw.xReviewer, `query($id: ID!) { takedownRequest(id: $id) { overdue } }`, { id: onTime.id });
    expect(current.takedownRequest.overdue).toBe(false);
  });

  it('the update mutation is exposed with the contract names', async () => {
    const r = await t.cw.requestAt('SUBMITTED');
    const response = await t.exchange.gql(t.cw.xReviewer, UPDATE, { input: { id: r.id, status: 'ACKNOWLEDGED', expectedVersion: 1, idempotencyKey: 'k-1' } });
    expect(response.errors).toBeUndefined();
  });
});
