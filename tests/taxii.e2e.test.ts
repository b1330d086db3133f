import { Role } from '../src/auth/roles';
import { ConfigError, loadConfig } from '../src/config';
import { stixId } from '../src/modules/stix/stix-model';
import { Casework } from './helpers/casework';
import { startExchange, TEST_SECRET, TestExchange } from './helpers/exchange';

/**
 * Conformance with the MUSTs of OASIS TAXII 2.1 (OS, 10 June 2021) that apply to a read-only
 * server, numbered by section, plus the leak walk of the exchange core over the collections.
 */
const TAXII = 'application/taxii+json;version=2.1';

describe('TAXII 2.1 server', () => {
  let exchange: TestExchange;
  let cw: Casework;
  let base: string;
  const planted: Record<string, string> = {};

  beforeAll(async () => {
    exchange = await startExchange();
    cw = new Casework(exchange);
    base = exchange.url.replace('/graphql', '/taxii2');
    planted.org = await cw.organisation(cw.analyst, 'SECRET-org-note');
    const flag = (platform: string, distribution = 'ALL_AGENCIES') =>
      cw.account({ platform, distribution, organisationIds: [planted.org], internalNotes: 'SECRET-account-note',
        evidence: [{ url: 'https://evidence.example/SECRET-restricted', classification: 'RESTRICTED' }] });
    planted.accountX = await flag('X');
    planted.accountMeta = await flag('FACEBOOK');
    planted.accountCovert = await flag('X', 'ORIGINATOR_ONLY');
    for (const [key, account] of [['requestX', planted.accountX], ['requestMeta', planted.accountMeta], ['requestCovert', planted.accountCovert]]) {
      const draft = await cw.draft({ accountIds: [account], internalNotes: 'SECRET-request-note' });
      await cw.move(cw.supervisor, draft.id, 'SUBMITTED', { note: 'SECRET-history-note' });
      planted[key] = draft.id;
    }
    // Enough organisations that paging crosses several pages.
    for (let i = 0; i < 6; i++) await cw.organisation();
  });
  afterAll(() => exchange.close());

  const get = (path: string, token: string | null, accept: string | null = TAXII) =>
    fetch(`${base}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(accept ? { accept } : {}) } });
  const json = async (path: string, token: string) => {
    const response = await get(path, token);
    expect(response.status).toBe(200);
    return { body: (await response.json()) as any, headers: response.headers };
  };
  const collectionIdOf = async (token: string, alias: string) =>
    (await json('/pax/collections/', token)).body.collections.find((c: { alias: string }) => c.alias === alias).id as string;
  /** Every object of a collection, page by page with `next`. */
  async function walk(token: string, alias: string, limit = 3): Promise<any[]> {
    const id = await collectionIdOf(token, alias);
    const objects: any[] = [];
    let next: string | undefined;
    do {
      const { body } = await json(`/pax/collections/${id}/objects/?limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`, token);
      objects.push(...(body.objects ?? []));
      next = body.more ? body.next : undefined;
    } while (next);
    return objects;
  }

  describe('media types and authentication (1.6.8, 3.2, 3.3, 3.6.1)', () => {
    it('answers application/taxii+json;version=2.1 on every endpoint', async () => {
      const organisations = await collectionIdOf(cw.analyst, 'organisations');
      for (const path of ['/', '/pax/', '/pax/collections/', `/pax/collections/${organisations}/`, `/pax/collections/${organisations}/objects/`, `/pax/collections/${organisations}/manifest/`]) {
        const response = await get(path, cw.analyst);
        expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 200, TAXII]);
      }
    });

    it('accepts application/taxii+json without a version and refuses other media types with 406', async () => {
      expect((await get('/', cw.analyst, 'application/taxii+json')).status).toBe(200);
      for (const accept of ['application/taxii+json;version=2.0', 'application/json', 'text/html']) {
        const response = await get('/', cw.analyst, accept);
        expect([accept, response.status]).toEqual([accept, 406]);
        expect(response.headers.get('content-type')).toBe(TAXII);
      }
    });

    it('refuses a missing or bad token with 401, a TAXII error and WWW-Authenticate, before anything else', async () => {
      for (const token of [null, 'not-a-jwt', exchange.token('nobody', Role.AGENCY_ANALYST)]) {
        const response = await get('/pax/collections/', token);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="pax"/);
        expect(await response.json()).toMatchObject({ title: 'Unauthenticated', http_status: '401' });
      }
    });
  });

  describe('discovery, API root and collections (4.1, 4.2, 5.1, 5.2)', () => {
    it('discovery names the API root by URL, which answers its versions and max_content_length', async () => {
      const { body } = await json('/', cw.analyst);
      expect(body).toMatchObject({ title: expect.any(String), default: `${base}/pax/`, api_roots: [`${base}/pax/`] });
      const root = await (await fetch(body.api_roots[0], { headers: { authorization: `Bearer ${cw.analyst}`, accept: TAXII } })).json();
      expect(root).toEqual({ title: expect.any(String), description: expect.any(String), versions: [TAXII], max_content_length: expect.any(Number) });
    });

    it('lists per visibility scope only the collections the caller may read, read-only', async () => {
      const caseworker = (await json('/pax/collections/', cw.xReviewer)).body.collections;
      expect(caseworker.map((c: { alias: string }) => c.alias)).toEqual(['organisations', 'accounts', 'takedown-requests']);
      for (const c of caseworker) {
        expect(c).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), title: expect.any(String), description: expect.any(String), alias: c.alias,
          can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] });
        expect((await json(`/pax/collections/${c.id}/`, cw.xReviewer)).body).toEqual(c);
      }
      const auditor = exchange.token('ofcom', Role.AUDITOR);
      expect((await json('/pax/collections/', auditor)).body.collections.map((c: { alias: string }) => c.alias)).toEqual(['organisations']);
      // A collection the caller may not read looks exactly like one that does not exist.
      const hidden = await get(`/pax/collections/${caseworker[2].id}/objects/`, auditor);
      const missing = await get('/pax/collections/00000000-0000-4000-8000-000000000000/objects/', auditor);
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect(((await hidden.json()) as { title: string }).title).toBe(((await missing.json()) as { title: string }).title);
    });

    it('refuses writes with 403 (can_write false) and answers unknown endpoints with a TAXII 404', async () => {
      const id = await collectionIdOf(cw.analyst, 'organisations');
      const post = await fetch(`${base}/pax/collections/${id}/objects/`, { method: 'POST', headers: { authorization: `Bearer ${cw.analyst}`, accept: TAXII, 'content-type': TAXII }, body: '{}' });
      expect(post.status).toBe(403);
      expect(await post.json()).toMatchObject({ title: expect.any(String), http_status: '403' });
      const unknown = await get('/pax/nowhere/', cw.analyst);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ http_status: '404' });
      expect((await get('/pax/status/00000000-0000-4000-8000-000000000000/', cw.analyst)).status).toBe(404);
    });
  });

  describe('errors and the public URL (3.6.1, 4.1)', () => {
    it('answers a path with malformed percent-encoding with a TAXII 400, not the GraphQL-shaped JSON of the rest of the server', async () => {
      for (const path of ['/pax/collections/%E0%A4%A/', '/pax/collections/%E0%A4%A/objects/', '/pax/collections/organisations/objects/%ZZ/']) {
        const response = await get(path, cw.analyst);
        expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 400, TAXII]);
        expect(await response.json()).toEqual({ title: 'Bad request', description: 'the path is not valid percent-encoding', http_status: '400' });
      }
      // Unauthenticated, the same path is refused as unauthenticated first.
      expect((await get('/pax/collections/%E0%A4%A/', null)).status).toBe(401);
    });

    it('advertises api_roots under PAX_PUBLIC_URL when set, whatever the request\'s scheme and Host', async () => {
      const proxied = await startExchange({ PAX_PUBLIC_URL: 'https://pax.example/' });
      try {
        const response = await fetch(proxied.url.replace('/graphql', '/taxii2/'), { headers: { authorization: `Bearer ${proxied.token('pta', Role.AGENCY_ANALYST)}`, accept: TAXII } });
        expect(await response.json()).toMatchObject({ default: 'https://pax.example/taxii2/pax/', api_roots: ['https://pax.example/taxii2/pax/'] });
      } finally {
        await proxied.close();
      }
      const env = { NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', PAX_JWT_SECRET: TEST_SECRET, PAX_SEED_DEMO: 'false' };
      expect(loadConfig({ ...env, PAX_PUBLIC_URL: 'https://pax.example/base/' }).publicUrl).toBe('https://pax.example/base');
      expect(loadConfig(env).publicUrl).toBeUndefined();
      for (const bad of ['pax.example', 'ftp://pax.example', 'https://pax.example/?a=1', 'https://pax.example/#top']) {
        expect(() => loadConfig({ ...env, PAX_PUBLIC_URL: bad })).toThrow(ConfigError);
      }
    });
  });

  describe('objects, manifest and paging (3.4, 3.6, 5.3–5.6)', () => {
    it('pages with limit and next to the same objects as one page, in order of date added', async () => {
      const all = (await json(`/pax/collections/${await collectionIdOf(cw.analyst, 'organisations')}/objects/`, cw.analyst)).body.objects;
      expect((await walk(cw.analyst, 'organisations', 2)).map((o) => o.id)).toEqual(all.map((o: { id: string }) => o.id));
      expect(all.filter((o: { type: string }) => o.type === 'threat-actor')).toHaveLength(7);
    });

    it('pages with added_after across a page boundary, from X-TAXII-Date-Added-Last, losing and repeating nothing', async () => {
      const id = await collectionIdOf(cw.analyst, 'organisations');
      const manifest = (await json(`/pax/collections/${id}/manifest/`, cw.analyst)).body.objects;
      const first = await json(`/pax/collections/${id}/objects/?limit=4`, cw.analyst);
      expect(first.body.more).toBe(true);
      const last = first.headers.get('x-taxii-date-added-last')!;
      expect(first.headers.get('x-taxii-date-added-first')).toBe(manifest[0].date_added);
      expect(last).toBe(manifest[3].date_added);
      const second = await json(`/pax/collections/${id}/objects/?added_after=${encodeURIComponent(last)}`, cw.analyst);
      const seen = [...first.body.objects, ...second.body.objects].map((o: { id: string }) => o.id);
      expect(seen).toEqual(manifest.map((m: { id: string }) => m.id));
      expect(second.headers.get('x-taxii-date-added-first')! > last).toBe(true);
      // After the newest object there is nothing: an empty envelope and no date headers.
      const end = await json(`/pax/collections/${id}/objects/?added_after=${encodeURIComponent(second.headers.get('x-taxii-date-added-last')!)}`, cw.analyst);
      expect(end.body).toEqual({});
      expect(end.headers.get('x-taxii-date-added-first')).toBeNull();
    });

    it('walks every collection with limit=1, by added_after and by next, receiving each object exactly once', async () => {
      // Objects sharing a date_added: each account with its relationships (two more organisations
      // make two relationships), the TLP markings, the partner identities with PAX's own.
      const extra = [await cw.organisation(), await cw.organisation()];
      for (let i = 0; i < 2; i++) await cw.account({ platform: 'X', organisationIds: [planted.org, ...extra] });
      for (const token of [cw.analyst, cw.xReviewer]) {
        for (const alias of ['organisations', 'accounts', 'takedown-requests']) {
          const id = await collectionIdOf(token, alias);
          const all = (await json(`/pax/collections/${id}/objects/`, token)).body.objects.map((o: { id: string }) => o.id);
          const byAddedAfter: string[] = [];
          let page = await json(`/pax/collections/${id}/objects/?limit=1`, token);
          while (page.body.objects) {
            byAddedAfter.push(...page.body.objects.map((o: { id: string }) => o.id));
            page = await json(`/pax/collections/${id}/objects/?limit=1&added_after=${encodeURIComponent(page.headers.get('x-taxii-date-added-last')!)}`, token);
          }
          expect([alias, byAddedAfter]).toEqual([alias, all]);
          expect([alias, (await walk(token, alias, 1)).map((o) => o.id)]).toEqual([alias, all]);
          expect(new Set(all).size).toBe(all.length);
        }
      }
      const accounts = (await json(`/pax/collections/${await collectionIdOf(cw.analyst, 'accounts')}/manifest/`, cw.analyst)).body.objects;
      const added = accounts.map((m: { date_added: string }) => m.date_added);
      // The walk above crossed groups larger than one object.
      expect(new Set(added).size).toBeLessThan(added.length - 4);
    });

    it('a poller receives a marking definition that first appears after its last poll, with the first object carrying it', async () => {
      const fresh = await startExchange();
      try {
        const fcw = new Casework(fresh);
        const org = await fcw.organisation();
        await fcw.account({ platform: 'X', organisationIds: [org] });
        const collection = `${fresh.url.replace('/graphql', '/taxii2')}/pax/collections/accounts/objects/`;
        const read = (query: string) => fetch(`${collection}${query}`, { headers: { authorization: `Bearer ${fcw.analyst}`, accept: TAXII } });
        const first = await read('');
        const strict = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003';
        expect(((await first.json()) as any).objects.map((o: { id: string }) => o.id)).not.toContain(strict);
        const covert = await fcw.account({ platform: 'X', distribution: 'ORIGINATOR_ONLY', organisationIds: [org] });
        const poll = (await (await read(`?added_after=${encodeURIComponent(first.headers.get('x-taxii-date-added-last')!)}`)).json()) as any;
        expect(poll.objects.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([strict, stixId('user-account', covert)]));
      } finally {
        await fresh.close();
      }
    });

    it('a new object appears after the last poll', async () => {
      const id = await collectionIdOf(cw.analyst, 'organisations');
      const { headers } = await json(`/pax/collections/${id}/objects/`, cw.analyst);
      const org = await cw.organisation();
      const poll = await json(`/pax/collections/${id}/objects/?added_after=${encodeURIComponent(headers.get('x-taxii-date-added-last')!)}`, cw.analyst);
      expect(poll.body.objects.map((o: { id: string }) => o.id)).toEqual([stixId('threat-actor', org)]);
    });

    it('filters with match[type], match[id], match[version] and match[spec_version]', async () => {
      const id = await collectionIdOf(cw.analyst, 'accounts');
      const types = (body: any) => [...new Set(body.objects.map((o: { type: string }) => o.type))];
      expect(types((await json(`/pax/collections/${id}/objects/?match[type]=relationship`, cw.analyst)).body)).toEqual(['relationship']);
      expect(types((await json(`/pax/collections/${id}/objects/?match[type]=relationship,user-account`, cw.analyst)).body).sort()).toEqual(['relationship', 'user-account']);
      const account = stixId('user-account', planted.accountX);
      expect((await json(`/pax/collections/${id}/objects/?match[id]=${account}`, cw.analyst)).body.objects.map((o: { id: string }) => o.id)).toEqual([account]);
      expect((await json(`/pax/collections/${id}/objects/?match[id]=${account}&match[version]=last`, cw.analyst)).body.objects).toHaveLength(1);
      expect((await json(`/pax/collections/${id}/objects/?match[spec_version]=2.0`, cw.analyst)).body).toEqual({});
    });

    it('answers one object, its versions and its manifest entry; an object the caller may not see is a 404 like a missing one', async () => {
      const id = await collectionIdOf(cw.analyst, 'takedown-requests');
      const request = stixId('x-pax-takedown-request', planted.requestX);
      const one = (await json(`/pax/collections/${id}/objects/${request}/`, cw.analyst)).body;
      expect(one).toEqual({ more: false, objects: [expect.objectContaining({ id: request, type: 'x-pax-takedown-request' })] });
      const versions = (await json(`/pax/collections/${id}/objects/${request}/versions/`, cw.analyst)).body;
      expect(versions).toEqual({ more: false, versions: [one.objects[0].modified] });
      const manifest = (await json(`/pax/collections/${id}/manifest/?match[id]=${request}`, cw.analyst)).body.objects;
      expect(manifest).toEqual([{ id: request, date_added: expect.stringMatching(/Z$/), version: one.objects[0].modified, media_type: 'application/stix+json;version=2.1' }]);
      const meta = stixId('x-pax-takedown-request', planted.requestMeta);
      const hidden = await get(`/pax/collections/${id}/objects/${meta}/`, cw.xReviewer);
      const missing = await get(`/pax/collections/${id}/objects/x-pax-takedown-request--00000000-0000-5000-8000-000000000000/`, cw.xReviewer);
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect(((await hidden.json()) as { title: string }).title).toBe(((await missing.json()) as { title: string }).title);
    });

    it('refuses a bad limit, added_after or next with 400', async () => {
      const id = await collectionIdOf(cw.analyst, 'organisations');
      for (const query of ['limit=0', 'limit=-1', 'limit=abc', 'added_after=yesterday', 'next=garbage']) {
        const response = await get(`/pax/collections/${id}/objects/?${query}`, cw.analyst);
        expect([query, response.status]).toEqual([query, 400]);
        expect(await response.json()).toMatchObject({ http_status: '400' });
      }
    });
  });

  describe('the leak walk over TAXII, for two platforms', () => {
    const everything = async (token: string) => {
      const collections = (await json('/pax/collections/', token)).body.collections;
      const objects = [];
      for (const c of collections) objects.push(...(await walk(token, c.alias, 5)));
      return objects;
    };

    it.each([
      ['x', () => cw.xReviewer, () => [planted.requestX, planted.requestCovert], () => [planted.accountX, planted.accountCovert]],
      ['meta', () => cw.metaReviewer, () => [planted.requestMeta], () => [planted.accountMeta]],
    ])('%s reads only its own queue, with nothing agency-only', async (_who, token, requests, accounts) => {
      const objects = await everything(token());
      const ofType = (type: string) => objects.filter((o) => o.type === type).map((o) => o.id).sort();
      expect(ofType('x-pax-takedown-request')).toEqual(requests().map((r) => stixId('x-pax-takedown-request', r)).sort());
      expect(ofType('user-account')).toEqual(accounts().map((a) => stixId('user-account', a)).sort());
      const text = JSON.stringify(objects);
      expect(text).not.toMatch(/SECRET|RESTRICTED|ORIGINATOR_ONLY|ALL_AGENCIES/);
      for (const [key, id] of Object.entries(planted)) {
        if (key === 'org' || requests().includes(id) || accounts().includes(id)) continue;
        expect(text).not.toContain(id);
        expect(text).not.toContain(stixId(key.startsWith('request') ? 'x-pax-takedown-request' : 'user-account', id));
      }
    });

    it('a platform polling with added_after receives an old account once a request makes it visible', async () => {
      const account = await cw.account({ platform: 'FACEBOOK' });
      const id = await collectionIdOf(cw.metaReviewer, 'accounts');
      const { headers } = await json(`/pax/collections/${id}/objects/`, cw.metaReviewer);
      const since = headers.get('x-taxii-date-added-last')!;
      const draft = await cw.draft({ accountIds: [account] });
      await cw.move(cw.supervisor, draft.id, 'SUBMITTED');
      const poll = (await json(`/pax/collections/${id}/objects/?added_after=${encodeURIComponent(since)}`, cw.metaReviewer)).body;
      expect(poll.objects.map((o: { id: string }) => o.id)).toContain(stixId('user-account', account));
    });
  });
});
