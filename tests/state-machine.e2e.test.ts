import { TRANSITIONS } from '../src/modules/takedowns/state-machine';
import { TakedownStatus } from '../src/modules/takedowns/takedown.enums';
import { useCasework } from './helpers/casework';
import { errorCode } from './helpers/exchange';

/** What each target status needs to be accepted, when the side and origin are right. */
const EXTRA: Partial<Record<TakedownStatus, Record<string, unknown>>> = {
  INFO_REQUESTED: { reasonCode: 'INSUFFICIENT_INFORMATION' },
  REJECTED: { reasonCode: 'LEGAL_OBJECTION' },
  ACTIONED: { action: 'GEO_BLOCKED' },
};
const clarification = (from: string, to: string) => (from === 'INFO_REQUESTED' && to === 'SUBMITTED' ? { note: 'clarified' } : {});
const STATUSES = Object.values(TakedownStatus);
const SIDES = ['AGENCY', 'PLATFORM'] as const;

describe('every edge of the takedown state machine, through the API', () => {
  const t = useCasework();

  const tokenFor = (side: (typeof SIDES)[number]) => (side === 'AGENCY' ? t.cw.supervisor : t.cw.xReviewer);
  const allowed = (from: string, to: string, side: string) =>
    TRANSITIONS.some((t) => t.to === to && t.from.includes(from as TakedownStatus) && t.side === side);

  it('the table has the 25 edges of the design', () => {
    expect(TRANSITIONS.reduce((n, t) => n + t.from.length, 0)).toBe(25);
  });

  describe.each(STATUSES)('from %s', (from) => {
    it('refuses every move the design does not list, with INVALID_TRANSITION and no change', async () => {
      // A DRAFT is invisible to platforms, so their refusal there is NOT_FOUND; see the visibility suite.
      const request = await t.cw.requestAt(from);
      for (const side of SIDES) {
        for (const to of STATUSES) {
          if (allowed(from, to, side) || (from === 'DRAFT' && side === 'PLATFORM')) continue;
          const response = await t.exchange.gql(tokenFor(side), `mutation($input: UpdateTakedownStatusInput!) { updateTakedownStatus(input: $input) { id } }`, {
            input: { id: request.id, status: to, ...EXTRA[to], ...clarification(from, to) },
          });
          expect({ side, to, code: errorCode(response) }).toEqual({ side, to, code: 'INVALID_TRANSITION' });
        }
      }
      const after = await t.cw.ok(t.cw.supervisor, `query($id: ID!) { takedownRequest(id: $id) { status version } }`, { id: request.id });
      expect(after.takedownRequest).toEqual({ status: from, version: request.version });
    });

    const edges = SIDES.flatMap((side) => STATUSES.filter((to) => allowed(from, to, side)).map((to) => [side, to] as const));
    if (edges.length) {
      it.each(edges)('lets the %s side move it to %s, and records the history entry', async (side, to) => {
        const request = await t.cw.requestAt(from);
        const moved = await t.cw.move(tokenFor(side), request.id, to, { ...EXTRA[to], ...clarification(from, to), expectedVersion: request.version });
        expect(moved.status).toBe(to);
        expect(moved.version).toBe(request.version + 1);
        expect(moved.history.at(-1)).toMatchObject({ sequence: request.version + 1, fromStatus: from, toStatus: to });
      });
    }
  });

  it('only supervisors and systems make agency moves; an analyst is FORBIDDEN', async () => {
    const draft = await t.cw.draft();
    const response = await t.exchange.gql(t.cw.analyst, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: SUBMITTED }) { id } }`, { id: draft.id });
    expect(errorCode(response)).toBe('FORBIDDEN');
    const bySystem = await t.cw.move(t.cw.system, draft.id, 'SUBMITTED');
    expect(bySystem.status).toBe('SUBMITTED');
  });

  it('four eyes: the drafter cannot submit their own draft, even as a supervisor', async () => {
    const draft = await t.cw.draft({ token: t.cw.supervisor });
    const response = await t.exchange.gql(t.cw.supervisor, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: SUBMITTED }) { id } }`, { id: draft.id });
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.errors?.[0].message).toMatch(/four-eyes/);
    const otherSupervisor = t.exchange.token('pta', 'AGENCY_SUPERVISOR' as never, 'pta-supervisor-2');
    expect((await t.cw.move(otherSupervisor, draft.id, 'SUBMITTED')).status).toBe('SUBMITTED');
  });

  it('another agency that can see a request cannot move it', async () => {
    const submitted = await t.cw.requestAt('SUBMITTED');
    const response = await t.exchange.gql(t.cw.moiSupervisor, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: WITHDRAWN }) { id } }`, { id: submitted.id });
    expect(errorCode(response)).toBe('FORBIDDEN');
  });

  it('reason and action codes are required where the design says, and refused elsewhere', async () => {
    const submitted = await t.cw.requestAt('SUBMITTED');
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 'REJECTED' }, 'reasonCode'],
      [{ status: 'REJECTED', reasonCode: 'MANIFEST_ERROR' }, 'reasonCode'],
      [{ status: 'INFO_REQUESTED', reasonCode: 'NO_VIOLATION' }, 'reasonCode'],
      [{ status: 'ACTIONED' }, 'action'],
      [{ status: 'ACKNOWLEDGED', action: 'GEO_BLOCKED' }, 'action'],
      [{ status: 'ACKNOWLEDGED', reasonCode: 'NO_VIOLATION' }, 'reasonCode'],
      [{ status: 'ACKNOWLEDGED', note: 'x', noteClassification: 'RESTRICTED' }, 'noteClassification'],
    ];
    for (const [input, field] of cases) {
      const response = await t.exchange.gql(t.cw.xReviewer, `mutation($input: UpdateTakedownStatusInput!) { updateTakedownStatus(input: $input) { id } }`, {
        input: { id: submitted.id, ...input },
      });
      expect({ input, code: errorCode(response), field: response.errors?.[0].extensions?.field }).toEqual({ input, code: 'BAD_USER_INPUT', field });
    }
    const infoRequested = await t.cw.requestAt('INFO_REQUESTED');
    const noClarification = await t.exchange.gql(t.cw.supervisor, `mutation($id: ID!) { updateTakedownStatus(input: { id: $id, status: SUBMITTED }) { id } }`, { id: infoRequested.id });
    expect(errorCode(noClarification)).toBe('BAD_USER_INPUT');
  });
});
