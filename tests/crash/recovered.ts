import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createDataSource } from '../../src/db/data-source';
import { CLI, clusterEnv } from '../cluster/processes';
import { Acknowledged } from './storm';

type Row = Record<string, unknown>;

/** What the database holds after the restart, read directly rather than through the server. */
export interface Recovered {
  accounts: Set<string>;
  /** `${requestId}#${sequence}` → toStatus, for takedown and disclosure histories alike. */
  history: Map<string, string>;
  /** Requests whose version, history and status disagree, with what is wrong. */
  inconsistent: string[];
  /** `${action} ${objectId}` of every successful audit entry. */
  audited: Set<string>;
}

/**
 * Every takedown and disclosure request must have history entries 0…version exactly (0 is the
 * creation, n the n-th transition), and the last one must name its current status.
 */
function consistency(kind: string, requests: Row[], history: Row[], key: string): string[] {
  const byRequest = new Map<string, Row[]>();
  for (const entry of history) byRequest.set(String(entry[key]), [...(byRequest.get(String(entry[key])) ?? []), entry]);
  return requests.flatMap((request) => {
    const entries = (byRequest.get(String(request.id)) ?? []).sort((a, b) => Number(a.sequence) - Number(b.sequence));
    const sequences = entries.map((e) => Number(e.sequence));
    const expected = Array.from({ length: Number(request.version) + 1 }, (_, i) => i);
    const last = entries.at(-1)?.toStatus;
    return JSON.stringify(sequences) === JSON.stringify(expected) && last === request.status
      ? []
      : [`${kind} ${request.id}: version ${request.version}, status ${request.status}, history ${JSON.stringify(entries.map((e) => [e.sequence, e.toStatus]))}`];
  });
}

export async function readRecovered(databaseUrl: string): Promise<Recovered> {
  const db = createDataSource(databaseUrl);
  await db.initialize();
  try {
    const all = (sql: string): Promise<Row[]> => db.query(sql);
    const takedowns = await all(`SELECT id, version, status FROM takedown_requests`);
    const takedownHistory = await all(`SELECT "takedownRequestId", sequence, "toStatus" FROM takedown_status_history`);
    const disclosures = await all(`SELECT id, version, status FROM disclosure_requests`);
    const disclosureHistory = await all(`SELECT "disclosureRequestId", sequence, "toStatus" FROM disclosure_history`);
    const history = new Map<string, string>();
    for (const entry of takedownHistory) history.set(`${entry.takedownRequestId}#${entry.sequence}`, String(entry.toStatus));
    for (const entry of disclosureHistory) history.set(`${entry.disclosureRequestId}#${entry.sequence}`, String(entry.toStatus));
    const audit = await all(`SELECT action, "objectId" FROM audit_log WHERE outcome = 'OK'`);
    return {
      accounts: new Set((await all(`SELECT id FROM accounts`)).map((a) => String(a.id))),
      history,
      inconsistent: [
        ...consistency('takedown', takedowns, takedownHistory, 'takedownRequestId'),
        ...consistency('disclosure', disclosures, disclosureHistory, 'disclosureRequestId'),
      ],
      audited: new Set(audit.map((a) => `${a.action} ${a.objectId}`)),
    };
  } finally {
    await db.destroy();
  }
}

/** The acknowledged answers the database does not bear out: missing rows, or another status at that version. */
export function unkept(acknowledged: Acknowledged[], recovered: Recovered): string[] {
  return acknowledged.flatMap((ack) => {
    const stored = ack.operation === 'flagAccount' ? recovered.accounts.has(ack.id) : recovered.history.get(`${ack.id}#${ack.version}`) === ack.status;
    const audited = recovered.audited.has(`mutation ${ack.operation} ${ack.id}`);
    return stored && audited ? [] : [`${ack.operation} ${ack.id} v${ack.version ?? '-'} ${ack.status ?? ''}: ${stored ? 'not audited' : 'lost'}`];
  });
}

/** `pax audit verify`, as an operator would run it after the crash. */
export async function auditVerify(databaseUrl: string): Promise<{ exitCode: number; result: { intact: boolean; checked: number } }> {
  const run = promisify(execFile)(process.execPath, [CLI, 'audit', 'verify'], { env: { ...process.env, ...clusterEnv(databaseUrl), LOG_LEVEL: 'silent' } });
  try {
    const { stdout } = await run;
    return { exitCode: 0, result: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { exitCode: failed.code, result: failed.stdout ? JSON.parse(failed.stdout) : { intact: false, checked: 0, stderr: failed.stderr } };
  }
}
