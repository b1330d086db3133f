import { Clock } from '../../src/common/clock';
import { Role } from '../../src/auth/roles';
import { startExchange, TestExchange } from './exchange';

export const REQUEST_FIELDS = `id status version kind priority platform overdue deadlineAt submittedAt internalNotes distribution
  legalBasis { instrument section } reasons addressedTo { slug } requestedBy { slug }
  accounts { id handle } history { sequence fromStatus toStatus reasonCode action note noteClassification actor { partner { slug } sub } }`;

export const DESIGNATE = `mutation($input: DesignateOrganisationInput!) { designateOrganisation(input: $input) { id name aliases internalNotes designations { authority reference designatedOn } } }`;
export const FLAG = `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id handle platform distribution internalNotes evidence { url classification } organisations { id } } }`;
export const CREATE = `mutation($input: CreateTakedownRequestInput!) { createTakedownRequest(input: $input) { ${REQUEST_FIELDS} } }`;
export const UPDATE = `mutation($input: UpdateTakedownStatusInput!) { updateTakedownStatus(input: $input) { ${REQUEST_FIELDS} } }`;
export const STATUS_CHANGED = `subscription($filter: TakedownStatusChangedFilter) { takedownStatusChanged(filter: $filter) {
  request { id status version internalNotes distribution accounts { id handle internalNotes } }
  entry { sequence fromStatus toStatus note noteClassification actor { partner { slug } sub } } } }`;

let counter = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++counter}`;

/** Drives the API as the usual cast: a PTA analyst and supervisor, and the platforms' reviewers. */
export class Casework {
  readonly analyst: string;
  readonly supervisor: string;
  readonly system: string;
  readonly moiAnalyst: string;
  readonly moiSupervisor: string;
  readonly xReviewer: string;
  readonly metaReviewer: string;

  constructor(readonly exchange: TestExchange) {
    this.analyst = exchange.token('pta', Role.AGENCY_ANALYST, 'pta-analyst');
    this.supervisor = exchange.token('pta', Role.AGENCY_SUPERVISOR, 'pta-supervisor');
    this.system = exchange.token('pta', Role.AGENCY_SYSTEM, 'pta-system');
    this.moiAnalyst = exchange.token('moi', Role.AGENCY_ANALYST, 'moi-analyst');
    this.moiSupervisor = exchange.token('moi', Role.AGENCY_SUPERVISOR, 'moi-supervisor');
    this.xReviewer = exchange.token('x', Role.PLATFORM_REVIEWER, 'x-reviewer');
    this.metaReviewer = exchange.token('meta', Role.PLATFORM_REVIEWER, 'meta-reviewer');
  }

  /** Runs an operation and fails the test with the errors if there are any. */
  async ok<T = any>(token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await this.exchange.gql<T>(token, query, variables);
    if (response.errors?.length || !response.data) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
    return response.data;
  }

  async organisation(token = this.analyst, internalNotes = 'agency notes'): Promise<string> {
    const data = await this.ok(token, DESIGNATE, {
      input: {
        name: unique('Organisation'),
        aliases: ['alias'],
        designations: [{ authority: 'UN', reference: unique('QDe'), designatedOn: '2011-07-29' }],
        internalNotes,
      },
    });
    return data.designateOrganisation.id;
  }

  async account(
    options: { platform?: string; token?: string; distribution?: string; organisationIds?: string[]; internalNotes?: string; evidence?: object[] } = {},
  ): Promise<string> {
    const data = await this.ok(options.token ?? this.analyst, FLAG, {
      input: {
        platform: options.platform ?? 'X',
        handle: unique('handle'),
        displayName: 'Display',
        bio: 'bio',
        organisationIds: options.organisationIds ?? [],
        distribution: options.distribution ?? 'ALL_AGENCIES',
        internalNotes: options.internalNotes ?? null,
        evidence: options.evidence ?? [],
      },
    });
    return data.flagAccount.id;
  }

  async draft(options: { accountIds?: string[]; platform?: string; token?: string; kind?: string; priority?: string; instrument?: string; internalNotes?: string } = {}) {
    const accountIds = options.accountIds ?? [await this.account({ platform: options.platform, token: options.token })];
    const data = await this.ok(options.token ?? this.analyst, CREATE, {
      input: {
        accountIds,
        kind: options.kind ?? 'REFERRAL',
        priority: options.priority ?? 'STANDARD',
        legalBasis: { instrument: options.instrument ?? 'PECA 2016', section: 's.37' },
        reasons: ['Operated on behalf of a proscribed organisation'],
        internalNotes: options.internalNotes ?? null,
      },
    });
    return data.createTakedownRequest;
  }

  async move(token: string, id: string, status: string, extra: Record<string, unknown> = {}) {
    return (await this.ok(token, UPDATE, { input: { id, status, ...extra } })).updateTakedownStatus;
  }

  /** The token of the platform a request on `platform` is addressed to. */
  platformToken(platform = 'X') {
    return platform === 'X' ? this.xReviewer : this.metaReviewer;
  }

  /** A fresh request brought to `status` by the shortest legal path. */
  async requestAt(status: string, platform = 'X') {
    const p = this.platformToken(platform);
    const r = await this.draft({ platform });
    const paths: Record<string, [string, string, Record<string, unknown>?][]> = {
      DRAFT: [],
      SUBMITTED: [[this.supervisor, 'SUBMITTED']],
      ACKNOWLEDGED: [[this.supervisor, 'SUBMITTED'], [p, 'ACKNOWLEDGED']],
      INFO_REQUESTED: [[this.supervisor, 'SUBMITTED'], [p, 'INFO_REQUESTED', { reasonCode: 'INSUFFICIENT_INFORMATION' }]],
      ACTIONED: [[this.supervisor, 'SUBMITTED'], [p, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' }]],
      REJECTED: [[this.supervisor, 'SUBMITTED'], [p, 'REJECTED', { reasonCode: 'NO_VIOLATION' }]],
      ESCALATED: [[this.supervisor, 'SUBMITTED'], [p, 'REJECTED', { reasonCode: 'NO_VIOLATION' }], [this.supervisor, 'ESCALATED']],
      REINSTATED: [[this.supervisor, 'SUBMITTED'], [p, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' }], [p, 'REINSTATED']],
      WITHDRAWN: [[this.supervisor, 'WITHDRAWN']],
      CLOSED: [[this.supervisor, 'WITHDRAWN'], [this.supervisor, 'CLOSED']],
    };
    let current = r;
    for (const [token, next, extra] of paths[status]) current = await this.move(token, r.id, next, extra);
    return current;
  }
}

/** Starts an exchange for a describe block and closes it after; read `exchange` and `cw` in tests. */
export function useCasework(env: Record<string, string> = {}, clock?: Clock): { exchange: TestExchange; cw: Casework } {
  const handle = {} as { exchange: TestExchange; cw: Casework };
  beforeAll(async () => {
    handle.exchange = await startExchange(env, clock);
    handle.cw = new Casework(handle.exchange);
  });
  afterAll(() => handle.exchange.close());
  return handle;
}
