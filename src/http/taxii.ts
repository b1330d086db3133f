import express, { NextFunction, Request, Response } from 'express';
import Negotiator from 'negotiator';
import { Principal } from '../auth/principal';
import { createContext, Services } from '../services';
import { mayRead, StixCollection, StixEntry } from '../modules/stix/stix-export';
import { stixId, StixObject, TAKEDOWN_SCHEMA_PATH } from '../modules/stix/stix-model';
import { takedownSchemaText } from '../modules/stix/stix-schemas';

/**
 * A read-only TAXII 2.1 server (OASIS TAXII 2.1, sections 4 and 5) over the STIX export, with the
 * same bearer tokens and visibility as GraphQL: a collection lists exactly what the caller's STIX
 * export holds, so a platform reads only what it reads in GraphQL.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
const API_ROOT = 'pax';
/** The largest page; TAXII lets the server cap `limit`. */
export const TAXII_MAX_PAGE = 1000;

const COLLECTIONS: { collection: StixCollection; title: string; description: string }[] = [
  { collection: StixCollection.ORGANISATIONS, title: 'Designated organisations', description: 'Proscribed organisations as threat-actor objects, with their designations as external references. Public reference data: every partner reads it.' },
  { collection: StixCollection.ACCOUNTS, title: 'Flagged accounts', description: 'Accounts flagged as run by proscribed organisations (user-account), linked to them by relationships: the accounts your visibility allows.' },
  { collection: StixCollection.TAKEDOWN_REQUESTS, title: 'Takedown requests', description: 'Takedown requests (x-pax-takedown-request, a new-SDO extension): an agency sees its own and shared ones, a platform its own queue.' },
];

/** Collection ids are fixed UUIDs, so a TAXII feed configured once keeps working. */
const collectionId = (collection: StixCollection) => stixId('x-pax-collection', collection).slice('x-pax-collection--'.length);

class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description?: string,
  ) {
    super(title);
  }
}

function send(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Written directly: Express's send and set would rewrite the media type as "…; version=2.1; charset=utf-8".
  res.statusCode = status;
  for (const [name, value] of Object.entries({ 'content-type': TAXII_MEDIA_TYPE, ...headers })) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

const handler =
  (work: (req: Request, res: Response, principal: Principal) => Promise<void> | void) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      await work(req, res, res.locals.principal as Principal);
    } catch (error) {
      next(error);
    }
  };

/** One filter value of a query parameter such as `match[type]`: comma-separated, many allowed. */
function listParam(req: Request, name: string): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

function singleParam(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new TaxiiError(400, `${name} must be given once`);
  return raw;
}

const versionOf = (entry: StixEntry) => String(entry.object.modified ?? entry.object.created ?? entry.added.toISOString());

/** Keyset position of the last object sent, so `next` stays right while objects are added. */
const encodeNext = (entry: StixEntry) => Buffer.from(JSON.stringify([entry.added.getTime(), entry.object.id])).toString('base64url');

function decodeNext(token: string): [number, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'number' && typeof id === 'string') return [at, id];
  } catch {
    // answered below
  }
  throw new TaxiiError(400, 'next is not a value this server gave', 'pass back the next value of the previous page, with the same filters');
}

const after = (entry: StixEntry, [at, id]: [number, string]) => entry.added.getTime() > at || (entry.added.getTime() === at && entry.object.id > id);

/**
 * Where a page of `wanted` objects ends so that it never splits objects sharing a date_added: a
 * client paging with added_after set to the page's X-TAXII-Date-Added-Last would otherwise never
 * receive the rest of that group (an account and its relationships, the TLP markings and the
 * partner identities share one). The page is cut before the group, or, when the group alone is
 * longer than `wanted`, carries the whole group.
 */
function pageEnd(sorted: StixEntry[], wanted: number): number {
  if (wanted >= sorted.length) return sorted.length;
  const at = sorted[wanted].added.getTime();
  if (sorted[wanted - 1].added.getTime() !== at) return wanted;
  let start = wanted - 1;
  while (start > 0 && sorted[start - 1].added.getTime() === at) start--;
  if (start > 0) return start;
  let end = wanted;
  while (end < sorted.length && sorted[end].added.getTime() === at) end++;
  return end;
}

/**
 * The filters and paging every object and manifest list shares (TAXII 2.1 section 3.4 and 3.6):
 * ascending by date added, then id; `added_after`, `match[...]`, `limit`, `next`.
 */
function page(req: Request, entries: StixEntry[], fixedId?: string): { items: StixEntry[]; more: boolean; next?: string; headers: Record<string, string> } {
  const addedAfter = singleParam(req, 'added_after');
  const since = addedAfter === undefined ? undefined : Date.parse(addedAfter);
  if (since !== undefined && (Number.isNaN(since) || !/^\d{4}-\d{2}-\d{2}T/.test(addedAfter!))) throw new TaxiiError(400, 'added_after is not a timestamp', 'use RFC 3339, e.g. 2026-01-01T00:00:00.000Z');
  const limitText = singleParam(req, 'limit');
  const limit = limitText === undefined ? TAXII_MAX_PAGE : Number(limitText);
  if (!Number.isInteger(limit) || limit <= 0) throw new TaxiiError(400, 'limit must be a positive integer');
  const nextText = singleParam(req, 'next');
  const position = nextText === undefined ? undefined : decodeNext(nextText);
  const types = listParam(req, 'match[type]');
  const ids = fixedId ? [fixedId] : listParam(req, 'match[id]');
  const versions = listParam(req, 'match[version]');
  const specVersions = listParam(req, 'match[spec_version]');
  const matching = entries
    .filter((e) => since === undefined || e.added.getTime() > since)
    .filter((e) => !types || types.includes(e.object.type))
    .filter((e) => !ids || ids.includes(e.object.id))
    // Each object has one version here, its current one: first, last and all all name it.
    .filter((e) => !versions || versions.some((v) => ['first', 'last', 'all'].includes(v) || Date.parse(v) === Date.parse(versionOf(e))))
    .filter((e) => !specVersions || specVersions.includes(String(e.object.spec_version ?? '2.1')))
    .sort((a, b) => a.added.getTime() - b.added.getTime() || (a.object.id < b.object.id ? -1 : a.object.id > b.object.id ? 1 : 0))
    .filter((e) => !position || after(e, position));
  const items = matching.slice(0, pageEnd(matching, Math.min(limit, TAXII_MAX_PAGE)));
  const more = matching.length > items.length;
  const headers: Record<string, string> = items.length
    ? { 'X-TAXII-Date-Added-First': items[0].added.toISOString(), 'X-TAXII-Date-Added-Last': items[items.length - 1].added.toISOString() }
    : {};
  return { items, more, next: more ? encodeNext(items[items.length - 1]) : undefined, headers };
}

/** An envelope (section 3.7): empty when nothing matched, `more`/`next` otherwise. */
function envelope(key: string, values: unknown[], more: boolean, next?: string) {
  return values.length ? { more, ...(next ? { next } : {}), [key]: values } : {};
}

/**
 * The TAXII routes, mounted at `/taxii2`, and the takedown extension's schema at its published
 * path. `authenticate` is the server's own bearer check, so tokens and refusals are GraphQL's.
 */
export function taxiiRoutes(services: Services, authenticate: (authorization: string | undefined) => Promise<Principal | null>): express.Router {
  const router = express.Router();
  router.get(TAKEDOWN_SCHEMA_PATH, (_req, res) => {
    res.type('application/schema+json').send(takedownSchemaText());
  });

  const taxii = express.Router();
  taxii.use(async (req, res, next) => {
    let principal: Principal | null = null;
    try {
      principal = await authenticate(req.headers.authorization);
    } catch {
      principal = null;
    }
    if (!principal) {
      const error = req.headers.authorization ? ', error="invalid_token"' : '';
      return send(res, 401, { title: 'Unauthenticated', description: 'send a PAX token as "Authorization: Bearer <token>"', http_status: '401' }, { 'www-authenticate': `Bearer realm="pax"${error}` });
    }
    if (!new Negotiator(req).mediaType([TAXII_MEDIA_TYPE])) {
      return send(res, 406, { title: 'Not Acceptable', description: `this server answers ${TAXII_MEDIA_TYPE} only`, http_status: '406' });
    }
    res.locals.principal = principal;
    next();
  });

  // Behind a TLS-terminating proxy the request's own scheme is http: PAX_PUBLIC_URL says what clients use.
  const origin = (req: Request) => services.config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  const base = (req: Request) => `${origin(req)}${req.baseUrl}`;
  const readable = (principal: Principal) => COLLECTIONS.filter((c) => mayRead(principal, c.collection));
  const describe = (c: (typeof COLLECTIONS)[number]) => ({
    id: collectionId(c.collection),
    title: c.title,
    description: c.description,
    alias: c.collection,
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  });
  /** A readable collection; an unknown one and one the caller may not read answer alike. */
  const collectionOf = (req: Request, principal: Principal) => {
    const found = readable(principal).find((c) => collectionId(c.collection) === req.params.collection || c.collection === req.params.collection);
    if (!found) throw new TaxiiError(404, 'Collection not found', `no collection ${String(req.params.collection)} at this API root`);
    return found;
  };
  const entriesOf = (req: Request, principal: Principal) =>
    services.stix.entries(createContext(services, principal, String(req.id ?? 'taxii'), true), collectionOf(req, principal).collection);

  taxii.get('/', handler((req, res) => {
    const root = `${base(req)}/${API_ROOT}/`;
    send(res, 200, { title: 'PAX — Proscribed Accounts Exchange', description: 'Designated organisations, flagged accounts and takedown requests, as far as your token may see them.', default: root, api_roots: [root] });
  }));
  const api = express.Router({ mergeParams: true });
  taxii.use(`/${API_ROOT}`, api);
  api.get('/', handler((_req, res) => {
    send(res, 200, { title: 'PAX', description: 'The read-only STIX 2.1 feed of PAX.', versions: [TAXII_MEDIA_TYPE], max_content_length: 0 });
  }));
  api.get('/collections/', handler((_req, res, principal) => {
    const collections = readable(principal).map(describe);
    send(res, 200, collections.length ? { collections } : {});
  }));
  api.get('/collections/:collection/', handler((req, res, principal) => send(res, 200, describe(collectionOf(req, principal)))));
  api.get('/collections/:collection/objects/', handler(async (req, res, principal) => {
    const { items, more, next, headers } = page(req, await entriesOf(req, principal));
    send(res, 200, envelope('objects', items.map((e) => e.object), more, next), headers);
  }));
  api.get('/collections/:collection/manifest/', handler(async (req, res, principal) => {
    const { items, more, next, headers } = page(req, await entriesOf(req, principal));
    const manifest = items.map((e) => ({ id: e.object.id, date_added: e.added.toISOString(), version: versionOf(e), media_type: STIX_MEDIA_TYPE }));
    send(res, 200, envelope('objects', manifest, more, next), headers);
  }));
  const oneObject = async (req: Request, principal: Principal) => {
    const all = await entriesOf(req, principal);
    const id = String(req.params.object);
    if (!all.some((e) => e.object.id === id)) throw new TaxiiError(404, 'Object not found', `no object ${id} in this collection`);
    return page(req, all, id);
  };
  api.get('/collections/:collection/objects/:object/', handler(async (req, res, principal) => {
    const { items, more, next, headers } = await oneObject(req, principal);
    send(res, 200, envelope('objects', items.map((e) => e.object as StixObject), more, next), headers);
  }));
  api.get('/collections/:collection/objects/:object/versions/', handler(async (req, res, principal) => {
    const { items, more, headers } = await oneObject(req, principal);
    send(res, 200, items.length ? { more, versions: items.map(versionOf) } : {}, headers);
  }));
  // Writing is not offered: can_write is false on every collection (section 5.5 and 5.7).
  api.post('/collections/:collection/objects/', handler((req, _res, principal) => {
    collectionOf(req, principal);
    throw new TaxiiError(403, 'This collection is read-only', 'PAX does not accept objects over TAXII; use proposeStixImport');
  }));
  api.delete('/collections/:collection/objects/:object/', handler((req, _res, principal) => {
    collectionOf(req, principal);
    throw new TaxiiError(403, 'This collection is read-only');
  }));
  api.get('/status/:status/', handler(() => {
    throw new TaxiiError(404, 'Status not found', 'PAX accepts no writes over TAXII, so it has no status resources');
  }));
  taxii.use((_req, _res, next) => next(new TaxiiError(404, 'Not found', 'no such TAXII endpoint; start at /taxii2/')));
  // Every error under /taxii2 is a TAXII error message with the TAXII media type, never the GraphQL-shaped JSON of the rest of the server.
  taxii.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(req.id ?? '');
    let answer: TaxiiError;
    if (error instanceof TaxiiError) answer = error;
    else {
      const status = Number((error as { status?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode);
      if (status >= 400 && status < 500) {
        // Express refuses a path segment that is not valid percent-encoding before any route runs.
        const malformed = error instanceof URIError || /decode/i.test(String((error as Error)?.message));
        services.log.warn({ requestId, status, reason: (error as Error)?.name }, 'refused an unreadable TAXII request');
        answer = new TaxiiError(status, 'Bad request', malformed ? 'the path is not valid percent-encoding' : 'the request could not be read');
      } else {
        services.log.error({ requestId, err: error }, 'unexpected TAXII error');
        answer = new TaxiiError(500, 'Internal server error', `request ${requestId}; the server log has the cause`);
      }
    }
    send(res, answer.status, { title: answer.title, ...(answer.description ? { description: answer.description } : {}), http_status: String(answer.status) });
  });
  router.use('/taxii2', taxii);
  return router;
}
