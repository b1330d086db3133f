import { Role } from '../src/auth/roles';
import { errorCode } from './helpers/exchange';
import { useCasework } from './helpers/casework';

const ALLOWED = `query($id: ID!) { takedownRequest(id: $id) { status allowedTransitions } }`;
const IN_LIST = `{ takedownRequests(first: 100) { nodes { id allowedTransitions } } }`;
const ON_ACCOUNT = `query($id: ID!) { account(id: $id) { takedownRequests { id allowedTransitions } } }`;

/** `TakedownRequest.allowedTransitions` is what the console offers: the caller's own moves, nothing more. */
describe('allowedTransitions', () => {
  const t = useCasework();
  const allowed = async (token: string, id: string) => (await t.cw.ok(token, ALLOWED, { id })).takedownRequest.allowedTransitions;

  it('keeps the four-eyes rule: a supervisor who drafted may not submit, another supervisor may', async () => {
    const drafter = t.exchange.token('pta', Role.AGENCY_SUPERVISOR, 'pta-drafting-supervisor');
    const draft = await t.cw.draft({ token: drafter });
    expect(await allowed(drafter, draft.id)).toEqual(['WITHDRAWN']);
    expect(await allowed(t.cw.supervisor, draft.id)).toEqual(['SUBMITTED', 'WITHDRAWN']);
    expect(await allowed(t.cw.analyst, draft.id)).toEqual([]);
  });

  it('gives the addressed platform its moves, on every path to the request', async () => {
    const request = await t.cw.requestAt('SUBMITTED');
    const platformMoves = ['ACKNOWLEDGED', 'INFO_REQUESTED', 'ACTIONED', 'REJECTED'];
    expect(await allowed(t.cw.xReviewer, request.id)).toEqual(platformMoves);
    expect(await allowed(t.cw.supervisor, request.id)).toEqual(['WITHDRAWN']);
    const listed = (await t.cw.ok(t.cw.xReviewer, IN_LIST)).takedownRequests.nodes.find((n: { id: string }) => n.id === request.id);
    expect(listed.allowedTransitions).toEqual(platformMoves);
    const nested = (await t.cw.ok(t.cw.xReviewer, ON_ACCOUNT, { id: request.accounts[0].id })).account.takedownRequests;
    expect(nested).toEqual([{ id: request.id, allowedTransitions: platformMoves }]);
  });

  it('offers another agency nothing, and hides the request from another platform like a missing one', async () => {
    const request = await t.cw.requestAt('ACKNOWLEDGED');
    expect(await allowed(t.cw.moiAnalyst, request.id)).toEqual([]);
    const hidden = await t.exchange.gql(t.cw.metaReviewer, ALLOWED, { id: request.id });
    const missing = await t.exchange.gql(t.cw.metaReviewer, ALLOWED, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCode(hidden)).toBe('NOT_FOUND');
    expect(hidden.errors?.[0].message.replace(request.id, 'ID')).toBe(missing.errors?.[0].message.replace('00000000-0000-4000-8000-000000000000', 'ID'));
  });

  it('is computed per subscriber on subscription deliveries', async () => {
    const request = await t.cw.requestAt('SUBMITTED');
    const query = `subscription($id: ID) { takedownStatusChanged(filter: { requestId: $id }) { request { status allowedTransitions } } }`;
    const platform = await t.exchange.subscribe(t.cw.xReviewer, query, { id: request.id });
    const agency = await t.exchange.subscribe(t.cw.supervisor, query, { id: request.id });
    await t.cw.move(t.cw.xReviewer, request.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });
    expect((await platform.next()).takedownStatusChanged.request).toEqual({ status: 'ACTIONED', allowedTransitions: ['REINSTATED'] });
    expect((await agency.next()).takedownStatusChanged.request).toEqual({ status: 'ACTIONED', allowedTransitions: ['CLOSED'] });
    await platform.close();
    await agency.close();
  });
});
