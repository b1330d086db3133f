import http from 'node:http';
import Database from 'better-sqlite3';
import { buildSchema, DocumentNode, execute, parse } from 'graphql';

/**
 * The bare baseline for the queue benchmark: node http, graphql-js and hand-written SQL on the
 * same SQLite file, returning the same JSON as PAX for the platform queue query. No auth, no
 * access policy, no ORM: the floor PAX is measured against.
 */
const schema = buildSchema(`
  enum TakedownStatus { DRAFT SUBMITTED ACKNOWLEDGED INFO_REQUESTED ACTIONED REJECTED ESCALATED REINSTATED WITHDRAWN CLOSED }
  enum TakedownPriority { STANDARD EMERGENCY }
  input TakedownRequestFilter { statuses: [TakedownStatus!] }
  type LegalBasis { instrument: String! section: String }
  type Account { id: ID! handle: String! displayName: String }
  type Organisation { id: ID! name: String! }
  type StatusHistoryEntry { sequence: Int! toStatus: TakedownStatus! at: String! note: String }
  type TakedownRequest { id: ID! status: TakedownStatus! priority: TakedownPriority! deadlineAt: String overdue: Boolean!
    legalBasis: LegalBasis! accounts: [Account!]! organisations: [Organisation!]! history: [StatusHistoryEntry!]! }
  type TakedownRequestConnection { totalCount: Int! nodes: [TakedownRequest!]! }
  type Query { takedownRequests(first: Int, filter: TakedownRequestFilter): TakedownRequestConnection! }
`);

const iso = (sqliteTime: string | null) => (sqliteTime ? `${sqliteTime.replace(' ', 'T')}Z` : null);
const OPEN = new Set(['SUBMITTED', 'ACKNOWLEDGED', 'ESCALATED']);

export function startBaseline(file: string, partnerSlug: string, port: number): Promise<http.Server> {
  const db = new Database(file, { readonly: true });
  const partnerId = (db.prepare('SELECT id FROM partners WHERE slug = ?').get(partnerSlug) as { id: string }).id;
  const inList = (n: number) => Array.from({ length: n }, () => '?').join(',');

  const takedownRequests = (args: { first?: number; filter?: { statuses?: string[] } }) => {
    const statuses = args.filter?.statuses ?? [];
    const where = `addressedPartnerId = ? AND status <> 'DRAFT'${statuses.length ? ` AND status IN (${inList(statuses.length)})` : ''}`;
    const params = [partnerId, ...statuses];
    const totalCount = (db.prepare(`SELECT COUNT(*) AS n FROM takedown_requests WHERE ${where}`).get(...params) as { n: number }).n;
    const rows = db.prepare(`SELECT * FROM takedown_requests WHERE ${where} ORDER BY id DESC LIMIT ?`).all(...params, args.first ?? 20) as Record<string, any>[];
    const ids = rows.map((r) => r.id);
    const accounts = ids.length
      ? (db.prepare(`SELECT tra.takedownRequestId AS rid, a.id, a.handle, a.displayName FROM takedown_request_accounts tra JOIN accounts a ON a.id = tra.accountId WHERE tra.takedownRequestId IN (${inList(ids.length)}) ORDER BY a.id`).all(...ids) as Record<string, any>[])
      : [];
    const organisations = ids.length
      ? (db.prepare(`SELECT tro.takedownRequestId AS rid, o.id, o.name FROM takedown_request_organisations tro JOIN organisations o ON o.id = tro.organisationId WHERE tro.takedownRequestId IN (${inList(ids.length)}) ORDER BY o.id`).all(...ids) as Record<string, any>[])
      : [];
    const history = ids.length
      ? (db.prepare(`SELECT takedownRequestId AS rid, sequence, toStatus, at, note, noteClassification FROM takedown_status_history WHERE takedownRequestId IN (${inList(ids.length)}) ORDER BY id`).all(...ids) as Record<string, any>[])
      : [];
    const now = Date.now();
    return {
      totalCount,
      nodes: rows.map((r) => ({
        id: r.id,
        status: r.status,
        priority: r.priority,
        deadlineAt: iso(r.deadlineAt),
        overdue: OPEN.has(r.status) && r.deadlineAt !== null && Date.parse(iso(r.deadlineAt)!) < now,
        legalBasis: { instrument: r.legalInstrument, section: r.legalSection },
        accounts: accounts.filter((a) => a.rid === r.id).map(({ id, handle, displayName }) => ({ id, handle, displayName })),
        organisations: organisations.filter((o) => o.rid === r.id).map(({ id, name }) => ({ id, name })),
        history: history.filter((h) => h.rid === r.id).map((h) => ({
          sequence: h.sequence, toStatus: h.toStatus, at: iso(h.at), note: h.noteClassification === 'SHAREABLE' ? h.note : null,
        })),
      })),
    };
  };

  const documents = new Map<string, DocumentNode>();
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.end('ok');
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const { query, variables } = JSON.parse(body);
      let document = documents.get(query);
      if (!document) documents.set(query, (document = parse(query)));
      const result = await execute({ schema, document, variableValues: variables, rootValue: { takedownRequests } });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result));
    });
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}

if (require.main === module) {
  const [file, slug, port] = process.argv.slice(2);
  void startBaseline(file, slug, Number(port));
}
