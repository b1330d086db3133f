import crypto from 'node:crypto';
import { Role } from '../../src/auth/roles';
import { GraphQLResponse } from '../helpers/exchange';
import { clusterToken } from '../cluster/processes';

const REQUEST = 'id status version';
const FLAG = `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`;
const CREATE_TAKEDOWN = `mutation($input: CreateTakedownRequestInput!) { createTakedownRequest(input: $input) { ${REQUEST} } }`;
const MOVE_TAKEDOWN = `mutation($input: UpdateTakedownStatusInput!) { updateTakedownStatus(input: $input) { ${REQUEST} } }`;
const CREATE_DISCLOSURE = `mutation($input: CreateDisclosureRequestInput!) { createDisclosureRequest(input: $input) { ${REQUEST} } }`;
const MOVE_DISCLOSURE = `mutation($input: UpdateDisclosureStatusInput!) { updateDisclosureStatus(input: $input) { ${REQUEST} } }`;

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A mutation the server answered without errors: PAX promised it is stored. */
export interface Acknowledged {
  operation: string;
  id: string;
  /** For requests: the version and status the answer reported. */
  version?: number;
  status?: string;
}

/** A takedown mutation the kill cut off, kept so it can be sent again with its idempotencyKey. */
export interface CutOff {
  query: string;
  token: string;
  variables: { input: { id?: string; idempotencyKey: string } };
  /** The version the request reaches if this mutation is (or was) applied. */
  version: number;
  status: string;
}

/** The network went away under the request: the server was killed. */
class Severed extends Error {}

type Request = { id: string; status: string; version: number };

/**
 * Concurrent casework against one `pax serve` until it dies: takedown lifecycles with a race
 * between the platform and the agency at every submission, and disclosure lifecycles ending in
 * a sealed production. Records every answer, so the test can hold the server to them after a
 * restart wherever the kill landed.
 */
export class Storm {
  readonly acknowledged: Acknowledged[] = [];
  readonly cutOff: CutOff[] = [];
  /** Error answers other than the race's expected loser (CONFLICT, INVALID_TRANSITION). */
  readonly unexpected: string[] = [];
  private readonly analyst = clusterToken('pta', Role.AGENCY_ANALYST, 'analyst');
  private readonly supervisor = clusterToken('pta', Role.AGENCY_SUPERVISOR, 'supervisor');
  private readonly reviewer = clusterToken('x', Role.PLATFORM_REVIEWER, 'reviewer');

  constructor(
    private readonly url: string,
    /** Called once, when `killAfter` answers have arrived; the workers run on until cut off. */
    private readonly kill: () => void,
    private readonly killAfter: number,
  ) {}

  /** Runs `workers` concurrent caseworkers until the server stops answering. */
  async run(workers: number): Promise<void> {
    await Promise.all(
      Array.from({ length: workers }, async (_, n) => {
        try {
          for (let round = 0; ; round++) await ((n + round) % 3 === 2 ? this.disclosure() : this.takedown());
        } catch (error) {
          if (!(error instanceof Severed)) throw error;
        }
      }),
    );
  }

  private async takedown(): Promise<void> {
    const account = await this.send('flagAccount', this.analyst, FLAG, {
      input: { platform: 'X', handle: `storm_${crypto.randomUUID()}`, distribution: 'ALL_AGENCIES' },
    });
    if (!account) return;
    let request = await this.moveTakedown(this.analyst, CREATE_TAKEDOWN, 'createTakedownRequest', 0, 'DRAFT', {
      accountIds: [account.id], kind: 'ORDER', priority: 'STANDARD', legalBasis: { instrument: 'PECA 2016', section: 's.37' }, reasons: ['storm'],
    });
    if (!request) return;
    request = await this.moveTakedown(this.supervisor, MOVE_TAKEDOWN, 'updateTakedownStatus', 1, 'SUBMITTED', { id: request.id });
    if (!request) return;
    // The platform answers while the agency withdraws: exactly one of them may win.
    const [acknowledged, withdrawn] = await settleBoth([
      this.send('updateTakedownStatus', this.reviewer, MOVE_TAKEDOWN, { input: { id: request.id, status: 'ACKNOWLEDGED', expectedVersion: 1 } }, true),
      this.send('updateTakedownStatus', this.supervisor, MOVE_TAKEDOWN, { input: { id: request.id, status: 'WITHDRAWN', expectedVersion: 1 } }, true),
    ]);
    if (acknowledged) {
      const actioned = await this.moveTakedown(this.reviewer, MOVE_TAKEDOWN, 'updateTakedownStatus', 3, 'ACTIONED', { id: request.id, action: 'ACCOUNT_SUSPENDED' });
      if (actioned) await this.moveTakedown(this.supervisor, MOVE_TAKEDOWN, 'updateTakedownStatus', 4, 'CLOSED', { id: request.id });
    } else if (withdrawn) {
      await this.moveTakedown(this.supervisor, MOVE_TAKEDOWN, 'updateTakedownStatus', 3, 'CLOSED', { id: request.id });
    }
  }

  /** A takedown mutation with an idempotencyKey; if the kill cuts it off, it is kept for a retry. */
  private async moveTakedown(token: string, query: string, operation: string, version: number, status: string, input: Record<string, unknown>) {
    const variables = { input: { ...input, ...(operation === 'updateTakedownStatus' ? { status } : {}), idempotencyKey: crypto.randomUUID() } };
    try {
      return await this.send(operation, token, query, variables);
    } catch (error) {
      if (error instanceof Severed) this.cutOff.push({ query, token, variables, version, status });
      throw error;
    }
  }

  private async disclosure(): Promise<void> {
    let request = await this.send('createDisclosureRequest', this.analyst, CREATE_DISCLOSURE, {
      input: {
        type: 'LEGAL_PROCESS',
        platform: 'X',
        accounts: [{ handle: `storm_${crypto.randomUUID()}` }],
        categories: ['BASIC_SUBSCRIBER'],
        dataFrom: '2026-01-01T00:00:00Z',
        dataTo: '2026-06-01T00:00:00Z',
        legalBasis: { instrument: 'PECA 2016 s.31', section: 'warrant 42/2026' },
        authorisation: { contentBase64: base64('%PDF-1.7 warrant'), mediaType: 'application/pdf', classification: 'SHAREABLE' },
      },
    });
    const steps: [string, string, Record<string, unknown>][] = [
      [this.supervisor, 'SUBMITTED', {}],
      [this.reviewer, 'UNDER_REVIEW', {}],
      [this.reviewer, 'PRODUCED_FULL', { production: { payloadBase64: base64('{"subscriber":"storm"}'), mediaType: 'application/json', categories: ['BASIC_SUBSCRIBER'] } }],
    ];
    for (const [token, status, extra] of steps) {
      if (!request) return;
      request = await this.send('updateDisclosureStatus', token, MOVE_DISCLOSURE, { input: { id: request.id, status, ...extra } });
    }
  }

  /**
   * Sends one mutation. Returns what it answered, or null for an error answer; throws Severed when
   * there was no complete answer. Counts answers towards the kill.
   */
  private async send(operation: string, token: string, query: string, variables: Record<string, unknown>, racing = false): Promise<Request | null> {
    let body: GraphQLResponse;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      body = (await response.json()) as GraphQLResponse;
    } catch {
      throw new Severed();
    }
    if (body.errors?.length || !body.data) {
      const code = String(body.errors?.[0]?.extensions?.code);
      if (!(racing && ['CONFLICT', 'INVALID_TRANSITION'].includes(code))) this.unexpected.push(`${operation}: ${code} ${body.errors?.[0]?.message}`);
      return null;
    }
    const answer = body.data[operation] as Request;
    this.acknowledged.push({ operation, id: answer.id, version: answer.version, status: answer.status });
    if (this.acknowledged.length === this.killAfter) this.kill();
    return answer;
  }
}

/** Waits for both, then throws Severed if either was cut off. */
async function settleBoth<T>(sends: [Promise<T>, Promise<T>]): Promise<[T, T]> {
  const [a, b] = await Promise.allSettled(sends);
  for (const result of [a, b]) if (result.status === 'rejected') throw result.reason;
  return [(a as PromiseFulfilledResult<T>).value, (b as PromiseFulfilledResult<T>).value];
}
