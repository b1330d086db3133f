import { Role } from '../src/auth/roles';
import { StixSchemas } from '../src/modules/stix/stix-schemas';
import { stixId, Tlp, tlpOfRef } from '../src/modules/stix/stix-model';
import { plantLeakWorld } from './helpers/leak-world';
import { Casework } from './helpers/casework';
import { errorCode, startExchange, TestExchange } from './helpers/exchange';

const BUNDLE = `query($c: [StixCollection!]) { stixBundle(collections: $c) }`;
const PROPOSE = `mutation($input: ProposeStixImportInput!) { proposeStixImport(input: $input) { id status ignoredObjects
  organisations { stixId stixType action name matchedId matchedBy aliases designations { authority reference designatedOn } note }
  accounts { stixId action name platform matchedId matchedBy organisationStixIds note } } }`;
const DECIDE = `mutation($input: DecideStixImportInput!) { decideStixImport(input: $input) { id status } }`;

type Bundle = { type: string; id: string; objects: { type: string; id: string; [k: string]: any }[] };

/**
 * The same world as the visibility suite: two platforms, two agencies, a covert account, a draft,
 * agency-only notes and RESTRICTED evidence, each carrying a SECRET marker that must never leave.
 */
describe('STIX 2.1 export and import', () => {
  let exchange: TestExchange;
  let cw: Casework;
  const planted: Record<string, string> = {};
  let auditor: string;

  beforeAll(async () => {
    exchange = await startExchange();
    cw = new Casework(exchange);
    auditor = exchange.token('ofcom', Role.AUDITOR);
    Object.assign(planted, await plantLeakWorld(cw));
  });
  afterAll(() => exchange.close());

  const exportFor = async (token: string, collections?: string[]): Promise<Bundle> => (await cw.ok(token, BUNDLE, { c: collections })).stixBundle;
  const idsOfType = (bundle: Bundle, type: string) => bundle.objects.filter((o) => o.type === type).map((o) => o.id).sort();
  const sids = (type: string, ...ids: string[]) => ids.map((id) => stixId(type, id)).sort();
  const markingOf = (bundle: Bundle, id: string) => tlpOfRef(bundle.objects.find((o) => o.id === id)!.object_marking_refs[0]);

  it('validates against the OASIS STIX 2.1 schemas, the bundle and every object (the takedown request also against its extension schema)', async () => {
    const bundle = await exportFor(cw.analyst);
    const schemas = StixSchemas.get();
    expect(schemas.bundle(bundle)).toEqual({ valid: true, problems: [] });
    for (const object of bundle.objects) expect({ id: object.id, ...schemas.object(object) }).toEqual({ id: object.id, valid: true, problems: [] });
    expect(new Set(bundle.objects.map((o) => o.type))).toEqual(
      new Set(['marking-definition', 'identity', 'threat-actor', 'user-account', 'relationship', 'extension-definition', 'x-pax-takedown-request']),
    );
  });

  it('refuses what the schemas refuse: the validator is not a rubber stamp', () => {
    const schemas = StixSchemas.get();
    const actor = { type: 'threat-actor', spec_version: '2.1', id: stixId('threat-actor', 'x'), created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'n' };
    expect(schemas.object(actor).valid).toBe(true);
    expect(schemas.object({ ...actor, created: '2026-01-01T00:00:00Z' }).valid).toBe(false);
    expect(schemas.object({ ...actor, name: undefined }).valid).toBe(false);
    expect(schemas.object({ ...actor, id: 'threat-actor--nope' }).valid).toBe(false);
    expect(schemas.bundle({ type: 'bundle', id: 'bundle--1', objects: [] }).valid).toBe(false);
  });

  it('maps organisations to terrorist threat actors with designations as external references, accounts to user-accounts with relationships', async () => {
    const bundle = await exportFor(cw.analyst);
    const actor = bundle.objects.find((o) => o.id === stixId('threat-actor', planted.org))!;
    expect(actor.threat_actor_types).toEqual(['terrorist']);
    expect(actor.external_references).toEqual(
      expect.arrayContaining([{ source_name: 'pax', external_id: planted.org }, expect.objectContaining({ source_name: 'UN designation', description: 'Designated by UN on 2011-07-29' })]),
    );
    const account = bundle.objects.find((o) => o.id === stixId('user-account', planted.accountX))!;
    expect(account).toMatchObject({ account_type: 'twitter', display_name: 'Display' });
    expect(bundle.objects).toContainEqual(expect.objectContaining({ type: 'relationship', relationship_type: 'related-to', source_ref: account.id, target_ref: actor.id }));
    const request = bundle.objects.find((o) => o.id === stixId('x-pax-takedown-request', planted.requestX))!;
    expect(request).toMatchObject({ status: 'SUBMITTED', platform: 'X', account_refs: [account.id], organisation_refs: [actor.id], version: 1 });
    expect(request.status_history.map((h: { to_status: string }) => h.to_status)).toEqual(['DRAFT', 'SUBMITTED']);
  });

  it('derives TLP 2.0 markings from classification and distribution', async () => {
    const pta = await exportFor(cw.analyst);
    expect(markingOf(pta, stixId('threat-actor', planted.org))).toBe(Tlp.CLEAR);
    expect(markingOf(pta, stixId('user-account', planted.accountX))).toBe(Tlp.GREEN);
    expect(markingOf(pta, stixId('user-account', planted.accountCovert))).toBe(Tlp.AMBER_STRICT);
    // It carries RESTRICTED evidence, which stays inside the agency.
    expect(markingOf(pta, stixId('x-pax-takedown-request', planted.requestX))).toBe(Tlp.AMBER_STRICT);
    const x = await exportFor(cw.xReviewer);
    // A platform is never told which request is covert: everything it receives is AMBER.
    for (const id of [...sids('user-account', planted.accountX, planted.accountCovert), ...sids('x-pax-takedown-request', planted.requestX, planted.requestCovert)]) {
      expect(markingOf(x, id)).toBe(Tlp.AMBER);
    }
    const used = new Set(x.objects.flatMap((o) => o.object_marking_refs ?? []));
    expect(x.objects.filter((o) => o.type === 'marking-definition').map((o) => o.id).sort()).toEqual([...used].sort());
  });

  it('gives deterministic ids: a second export has the same objects under the same ids', async () => {
    const [a, b] = [await exportFor(cw.analyst), await exportFor(cw.analyst)];
    expect(a.id).not.toBe(b.id);
    expect(b.objects.map((o) => o.id).sort()).toEqual(a.objects.map((o) => o.id).sort());
    expect(b.objects).toEqual(expect.arrayContaining(a.objects));
  });

  describe('the leak walk, over the STIX export', () => {
    const expectations = () => ({
      x: { token: cw.xReviewer, accounts: [planted.accountX, planted.accountCovert], requests: [planted.requestX, planted.requestCovert] },
      meta: { token: cw.metaReviewer, accounts: [planted.accountMeta], requests: [planted.requestMeta] },
      moi: { token: cw.moiAnalyst, accounts: [planted.accountX, planted.accountMeta, planted.accountUnrequested, planted.accountDraftOnly], requests: [planted.requestX, planted.requestMeta] },
      pta: {
        token: cw.analyst,
        accounts: [planted.accountX, planted.accountMeta, planted.accountCovert, planted.accountUnrequested, planted.accountDraftOnly],
        requests: [planted.requestX, planted.requestMeta, planted.requestCovert, planted.requestDraft],
      },
    });

    it.each(['x', 'meta', 'moi', 'pta'] as const)('%s receives exactly its own accounts and requests', async (who) => {
      const e = expectations()[who];
      const bundle = await exportFor(e.token);
      expect(idsOfType(bundle, 'user-account')).toEqual(sids('user-account', ...e.accounts));
      expect(idsOfType(bundle, 'x-pax-takedown-request')).toEqual(sids('x-pax-takedown-request', ...e.requests));
      const requests = bundle.objects.filter((o) => o.type === 'x-pax-takedown-request');
      const refs = requests.flatMap((r) => r.account_refs ?? []);
      expect(refs.every((ref: string) => idsOfType(bundle, 'user-account').includes(ref))).toBe(true);
    });

    it.each(['x', 'meta', 'moi'] as const)('%s: no agency-internal marker, RESTRICTED evidence or PAX id of another partner anywhere in the bundle', async (who) => {
      const e = expectations()[who];
      const text = JSON.stringify(await exportFor(e.token));
      if (who !== 'moi') {
        expect(text).not.toMatch(/SECRET/);
        expect(text).not.toMatch(/RESTRICTED/);
      } else {
        // Another agency sees shared accounts' notes in no form: the export carries no notes at all.
        expect(text).not.toMatch(/SECRET-(org|x|meta|covert|unrequested|draftonly|request|history|draft)-note/);
      }
      const hidden = Object.entries(planted).filter(([k, v]) => k !== 'org' && !e.accounts.includes(v) && !e.requests.includes(v));
      for (const [, id] of hidden) {
        expect(text).not.toContain(id);
        for (const type of ['user-account', 'x-pax-takedown-request']) expect(text).not.toContain(stixId(type, id));
      }
    });

    it('agencies never get internal notes or history notes either', async () => {
      expect(JSON.stringify(await exportFor(cw.analyst))).not.toMatch(/SECRET-(org|x|meta|covert|unrequested|draftonly|request|history|draft)-note/);
    });

    it('roles outside casework export the public organisations only; no token is refused', async () => {
      const bundle = await exportFor(auditor);
      expect(new Set(bundle.objects.map((o) => o.type))).toEqual(new Set(['marking-definition', 'identity', 'threat-actor']));
      const response = await fetch(exchange.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BUNDLE }) });
      expect(response.status).toBe(401);
    });

    it('exports one collection when asked', async () => {
      const bundle = await exportFor(cw.xReviewer, ['TAKEDOWN_REQUESTS']);
      expect(idsOfType(bundle, 'threat-actor')).toEqual([]);
      expect(idsOfType(bundle, 'x-pax-takedown-request')).toHaveLength(2);
    });
  });

  describe('import as a proposal', () => {
    const at = '2026-03-01T00:00:00.000Z';
    const actor = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ type: 'threat-actor', spec_version: '2.1', id, created: at, modified: at, name, ...extra });
    const misp = (objects: object[]) => ({ type: 'bundle', id: 'bundle--6e9f3a3c-7a3c-4d0a-9b1e-2f8f0c1b2a3d', objects });
    const newActor = 'threat-actor--0b7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f';
    const newAccount = 'user-account--9d2c1b4a-3e5f-4a6b-8c7d-0e1f2a3b4c5d';
    const tables = async () => {
      const db = exchange.services.db;
      const [orgs, designations, accounts, links] = await Promise.all(['organisations', 'designations', 'accounts', 'account_organisations'].map((t) => db.query(`SELECT COUNT(*) AS n FROM ${t}`)));
      return [orgs, designations, accounts, links].map((r) => Number(r[0].n));
    };

    it('round-trips PAX\'s own export: everything matched by STIX id, nothing to change', async () => {
      const bundle = await exportFor(cw.analyst);
      const proposal = (await cw.ok(cw.analyst, PROPOSE, { input: { bundle } })).proposeStixImport;
      expect(proposal.organisations).toEqual([expect.objectContaining({ action: 'UNCHANGED', matchedId: planted.org, matchedBy: 'STIX_ID' })]);
      expect(proposal.accounts.map((a: { action: string; matchedBy: string }) => [a.action, a.matchedBy])).toEqual(proposal.accounts.map(() => ['UNCHANGED', 'STIX_ID']));
      expect(proposal.ignoredObjects).toBeGreaterThan(0);
    });

    it('proposes, writes nothing until confirmed, then writes it all; a decided proposal stays decided', async () => {
      const before = await tables();
      const bundle = misp([
        actor(newActor, 'Lashkar-e-Example', { aliases: ['LeE'], external_references: [{ source_name: 'UK designation', external_id: 'UK-LEE-1', description: 'Designated by UK on 2020-05-01' }] }),
        actor('intrusion-set--1b7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f', 'Unlisted Cluster', { type: 'intrusion-set' }),
        { type: 'user-account', spec_version: '2.1', id: newAccount, account_type: 'twitter', account_login: 'lee_media_new', display_name: 'LeE Media' },
        { type: 'user-account', spec_version: '2.1', id: 'user-account--8d2c1b4a-3e5f-4a6b-8c7d-0e1f2a3b4c5d', account_type: 'myspace', account_login: 'old' },
        { type: 'relationship', spec_version: '2.1', id: 'relationship--7d2c1b4a-3e5f-4a6b-8c7d-0e1f2a3b4c5d', created: at, modified: at, relationship_type: 'related-to', source_ref: newAccount, target_ref: newActor },
        { type: 'indicator', spec_version: '2.1', id: 'indicator--6d2c1b4a-3e5f-4a6b-8c7d-0e1f2a3b4c5d', created: at, modified: at, pattern: "[url:value = 'https://t.me/x']", pattern_type: 'stix', valid_from: at },
      ]);
      const proposal = (await cw.ok(cw.analyst, PROPOSE, { input: { bundle } })).proposeStixImport;
      expect(proposal.status).toBe('PENDING');
      expect(proposal.ignoredObjects).toBe(1);
      expect(proposal.organisations.map((o: { action: string }) => o.action)).toEqual(['CREATE', 'SKIP']);
      expect(proposal.organisations[0].designations).toEqual([{ authority: 'UK', reference: 'UK-LEE-1', designatedOn: '2020-05-01' }]);
      expect(proposal.accounts.map((a: { action: string }) => a.action)).toEqual(['CREATE', 'SKIP']);
      expect(proposal.accounts[0].organisationStixIds).toEqual([newActor]);
      expect(await tables()).toEqual(before);

      // Another agency cannot see it, let alone confirm it; a platform may not try.
      expect(errorCode(await exchange.gql(cw.moiSupervisor, DECIDE, { input: { id: proposal.id, decision: 'CONFIRM' } }))).toBe('NOT_FOUND');
      expect((await exchange.gql(cw.moiSupervisor, DECIDE, { input: { id: proposal.id, decision: 'CONFIRM' } })).errors![0].message).toBe(
        (await exchange.gql(cw.moiSupervisor, DECIDE, { input: { id: '00000000-0000-4000-8000-000000000000', decision: 'CONFIRM' } })).errors![0].message.replace('00000000-0000-4000-8000-000000000000', proposal.id),
      );
      expect(errorCode(await exchange.gql(cw.xReviewer, DECIDE, { input: { id: proposal.id, decision: 'CONFIRM' } }))).toBe('FORBIDDEN');
      expect(await tables()).toEqual(before);

      expect((await cw.ok(cw.supervisor, DECIDE, { input: { id: proposal.id, decision: 'CONFIRM' } })).decideStixImport.status).toBe('CONFIRMED');
      const [orgs, designations, accounts, links] = await tables();
      expect([orgs - before[0], designations - before[1], accounts - before[2], links - before[3]]).toEqual([1, 1, 1, 1]);
      const flagged = (await cw.ok(cw.analyst, `{ accounts(filter: { handle: "lee_media_new" }) { nodes { distribution organisations { name aliases } } } }`)).accounts.nodes;
      expect(flagged).toEqual([{ distribution: 'ORIGINATOR_ONLY', organisations: [{ name: 'Lashkar-e-Example', aliases: ['LeE'] }] }]);
      expect(errorCode(await exchange.gql(cw.analyst, DECIDE, { input: { id: proposal.id, decision: 'REJECT' } }))).toBe('INVALID_TRANSITION');

      // The same names again now match what was created, by name and handle.
      const again = (await cw.ok(cw.analyst, PROPOSE, { input: { bundle: misp([actor('threat-actor--2b7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f', 'LASHKAR E EXAMPLE'),
        { type: 'user-account', spec_version: '2.1', id: 'user-account--5d2c1b4a-3e5f-4a6b-8c7d-0e1f2a3b4c5d', account_type: 'x', account_login: '@Lee_Media_New' }]) } })).proposeStixImport;
      expect(again.organisations[0]).toMatchObject({ action: 'UNCHANGED', matchedBy: 'NAME' });
      expect(again.accounts[0]).toMatchObject({ action: 'UNCHANGED', matchedBy: 'HANDLE' });
    });

    it('a rejected proposal writes nothing', async () => {
      const before = await tables();
      const bundle = misp([actor('threat-actor--3b7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f', 'Rejected Front', { external_references: [{ source_name: 'EU designation', external_id: 'EU-RF-1', description: 'listed 2019-01-01' }] })]);
      const proposal = (await cw.ok(cw.analyst, PROPOSE, { input: { bundle } })).proposeStixImport;
      expect((await cw.ok(cw.analyst, DECIDE, { input: { id: proposal.id, decision: 'REJECT' } })).decideStixImport.status).toBe('REJECTED');
      expect(await tables()).toEqual(before);
    });

    it('refuses a bundle where two organisations under different names carry one designation, naming both, instead of proposing what can never be confirmed', async () => {
      const count = async () => Number((await exchange.services.db.query('SELECT COUNT(*) AS n FROM stix_import_proposals'))[0].n);
      const before = [await tables(), await count()];
      const first = 'threat-actor--2c7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f';
      const second = 'threat-actor--3c7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f';
      const listing = { source_name: 'EU designation', external_id: 'EU-TWIN-1', description: 'Designated by EU on 2021-02-03' };
      const response = await exchange.gql(cw.analyst, PROPOSE, { input: { bundle: misp([actor(first, 'Twin Front North', { external_references: [listing] }), actor(second, 'Twin Front South', { external_references: [listing] })]) } });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toMatch(new RegExp(`^${first} and ${second} both carry EU designation EU-TWIN-1;`));
      expect([await tables(), await count()]).toEqual(before);
      // The same designation on one object, or on two objects that are one organisation, is still proposable and confirmable.
      const alone = (await cw.ok(cw.analyst, PROPOSE, { input: { bundle: misp([actor(first, 'Twin Front North', { external_references: [listing] }), actor(second, 'Twin Front North', { external_references: [listing] })]) } })).proposeStixImport;
      expect(alone.organisations.map((o: { action: string }) => o.action)).toEqual(['CREATE', 'SKIP']);
      expect((await cw.ok(cw.supervisor, DECIDE, { input: { id: alone.id, decision: 'CONFIRM' } })).decideStixImport.status).toBe('CONFIRMED');
    });

    it('refuses an invalid bundle with BAD_USER_INPUT naming the object, and stores no proposal', async () => {
      const count = async () => Number((await exchange.services.db.query('SELECT COUNT(*) AS n FROM stix_import_proposals'))[0].n);
      const before = await count();
      const bad = misp([actor(newActor, 'Fine'), { ...actor('threat-actor--4b7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f', 'Bad'), created: 'yesterday' }]);
      const response = await exchange.gql(cw.analyst, PROPOSE, { input: { bundle: bad } });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toMatch(/^objects\[1\] \(threat-actor--4b7e2a52-5c1f-4a4e-9d6a-1f2b3c4d5e6f\) is not valid STIX 2\.1: \/created/);
      expect(errorCode(await exchange.gql(cw.analyst, PROPOSE, { input: { bundle: { type: 'report', objects: [] } } }))).toBe('BAD_USER_INPUT');
      expect(errorCode(await exchange.gql(cw.xReviewer, PROPOSE, { input: { bundle: misp([]) } }))).toBe('FORBIDDEN');
      expect(await count()).toBe(before);
    });
  });

  it('moves an organisation\'s modified (and TAXII date_added) strictly forward on designation, de-listing, re-listing and a new alias', async () => {
    const IMPORT = `mutation($input: ImportDesignationsInput!) { importDesignations(input: $input) { list } }`;
    const list = (...rows: string[]) => ['type,authority,list,reference,name,aliases,weak_aliases,designated_on', ...rows].join('\n');
    const other = 'entity,PK,Modified Test List,MOD-2,Modified Test Other,,,2020-01-01';
    const listed = (aliases = '') => `entity,PK,Modified Test List,MOD-1,Modified Test Front,${aliases},,2020-01-01`;
    const versions: string[] = [];
    const observe = async () => {
      const actor = (await exportFor(cw.analyst, ['ORGANISATIONS'])).objects.find((o) => o.name === 'Modified Test Front')!;
      versions.push(actor.modified);
      return actor;
    };
    const step = async (content: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await cw.ok(cw.system, IMPORT, { input: { source: 'CSV', content } });
      return observe();
    };
    const created = await step(list(listed(), other));
    expect(created.modified).toBe(created.created);
    await step(list(other));
    await step(list(listed(), other));
    const grown = await step(list(listed('MTF'), other));
    expect(grown.aliases).toEqual(['MTF']);
    for (let i = 1; i < versions.length; i++) expect([i, versions[i] > versions[i - 1]]).toEqual([i, true]);
    const manifest = await fetch(`${exchange.url.replace('/graphql', '/taxii2')}/pax/collections/organisations/manifest/?match[id]=${grown.id}`, {
      headers: { authorization: `Bearer ${cw.analyst}`, accept: 'application/taxii+json;version=2.1' },
    });
    expect(((await manifest.json()) as any).objects).toEqual([expect.objectContaining({ date_added: grown.modified, version: grown.modified })]);
  });
});
