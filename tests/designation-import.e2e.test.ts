import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../src/auth/roles';
import { DESIGNATE, useCasework } from './helpers/casework';
import { errorCode } from './helpers/exchange';
import { createSchema } from './helpers/postgres';
import { applyMigrations, createDataSource } from '../src/db/data-source';
import { isUniqueViolation } from '../src/db/dialect';
import { MIGRATIONS } from '../migrations';
import { DesignationImport1764576000000 } from '../migrations/1764576000000-DesignationImport';

const FIXTURES = path.join(__dirname, 'fixtures/sanctions');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const IMPORT = `mutation($input: ImportDesignationsInput!) { importDesignations(input: $input) {
  source list authority publishedOn dryRun empty entitiesRead individualsSkipped otherSkipped
  newOrganisations { organisationId name aliases reference }
  newDesignations { reference designatedOn organisationId organisationName listedName matchedBy changes }
  changedDesignations { reference designatedOn organisationId organisationName matchedBy changes }
  aliasesAdded { organisationId organisationName aliases }
  delistings { reference delistedOn organisationId organisationName organisationStillDesignated }
  unresolved { reference name line reason candidates { id name } } } }`;

const ORGANISATION = `query($id: ID!) { organisation(id: $id) { id name aliases designated delistedAt designations { authority reference designatedOn list delistedOn active } } }`;
const REQUEST = `query($id: ID!) { takedownRequest(id: $id) { id status version needsReview reviewFlags { reason raisedAt } } }`;
const FLAGGED = `subscription { takedownReviewFlagged { request { id status needsReview internalNotes } flag { reason } } }`;

const FORMATS = [
  { source: 'UN', file: 'un-consolidated', ext: 'xml', delisted: 'QDe.152' },
  { source: 'OFAC', file: 'ofac-sdn', ext: 'xml', delisted: '22870' },
  { source: 'UK', file: 'uk-sanctions-list', ext: 'xml', delisted: 'CTE0031' },
  { source: 'EU', file: 'eu-fsf', ext: 'xml', delisted: 'EU.4410.21' },
  { source: 'CSV', file: 'nacta-first-schedule', ext: 'csv', delisted: 'NACTA-FS-71' },
];
const content = (format: (typeof FORMATS)[number], version: 'first' | 'delisted') => fixture(`${format.file}${version === 'delisted' ? '-delisted' : ''}.${format.ext}`);

describe('designation import from the published lists', () => {
  const t = useCasework();
  const [un, ofac] = FORMATS;
  let ttpId: string;

  /** Every row an import may write, so that "nothing was written" is checked whole. */
  const tables = async () => {
    const db = t.exchange.services.db;
    const rows = await Promise.all(['organisations', 'designations', 'takedown_review_flags'].map((table) => db.query(`SELECT * FROM ${table} ORDER BY id`)));
    return JSON.stringify(rows);
  };
  const run = (token: string, source: string, text: string, dryRun = false) => t.exchange.gql(token, IMPORT, { input: { source, content: text, dryRun } });
  const imported = async (source: string, text: string, dryRun = false) => (await t.cw.ok(t.cw.system, IMPORT, { input: { source, content: text, dryRun } })).importDesignations;

  beforeAll(async () => {
    const data = await t.cw.ok(t.cw.analyst, DESIGNATE, {
      input: { name: 'Tehreek-i-Taliban Pakistan', designations: [{ authority: 'PK', reference: 'Ministry of Interior ban, NACTA First Schedule', designatedOn: '2008-08-25' }] },
    });
    ttpId = data.designateOrganisation.id;
  });

  it('is open to AGENCY_SYSTEM tokens only; every other role gets FORBIDDEN and nothing is written', async () => {
    const before = await tables();
    const others = [t.cw.analyst, t.cw.supervisor, t.cw.moiSupervisor, t.cw.xReviewer, t.exchange.token('x', Role.PLATFORM_SYSTEM), t.exchange.token('ofcom', Role.AUDITOR)];
    for (const token of others) expect(errorCode(await run(token, 'UN', content(un, 'first')))).toBe('FORBIDDEN');
    expect((await run(null as unknown as string, 'UN', content(un, 'first'))).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await tables()).toBe(before);
  });

  it('shows the diff in a dry run and writes nothing', async () => {
    const before = await tables();
    const plan = await imported('UN', content(un, 'first'), true);
    expect(plan).toMatchObject({ dryRun: true, empty: false, authority: 'UN', list: 'UN Security Council Consolidated List', publishedOn: '2026-11-20', entitiesRead: 3, individualsSkipped: 1 });
    expect(plan.newOrganisations.map((o: { name: string; organisationId: string | null }) => [o.name, o.organisationId])).toEqual([
      ['ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)', null],
      ['JAMAAT-UL-AHRAR (JuA)', null],
    ]);
    expect(plan.newDesignations[0]).toEqual({
      reference: 'QDe.132', designatedOn: '2011-07-29', organisationId: ttpId, organisationName: 'Tehreek-i-Taliban Pakistan', listedName: 'TEHRIK-E TALIBAN PAKISTAN (TTP)', matchedBy: 'CROSS_SCRIPT', changes: [],
    });
    expect(plan.aliasesAdded).toEqual([{ organisationId: ttpId, organisationName: 'Tehreek-i-Taliban Pakistan', aliases: ['TEHRIK-E TALIBAN PAKISTAN (TTP)', 'تحریک طالبان پاکستان', 'Tehrik-I-Taliban', 'Tehreek-e-Taliban'] }]);
    expect(plan.delistings).toEqual([]);
    expect(await tables()).toBe(before);
  });

  it('imports the list, keeping low-quality aliases out; the same file again changes nothing', async () => {
    const result = await imported('UN', content(un, 'first'));
    expect(result).toMatchObject({ dryRun: false, empty: false });
    const jua = result.newOrganisations.find((o: { name: string }) => o.name === 'JAMAAT-UL-AHRAR (JuA)');
    const organisation = (await t.cw.ok(t.cw.xReviewer, ORGANISATION, { id: jua.organisationId })).organisation;
    expect(organisation).toMatchObject({
      designated: true,
      delistedAt: null,
      aliases: ['جماعت الاحرار', 'Jamaat-ul-Ahrar'],
      designations: [{ authority: 'UN', reference: 'QDe.152', designatedOn: '2017-07-06', list: 'UN Security Council Consolidated List', delistedOn: null, active: true }],
    });
    const ttp = (await t.cw.ok(t.cw.analyst, ORGANISATION, { id: ttpId })).organisation;
    expect(ttp.aliases).not.toContain('Pakistani Taliban');
    expect(ttp.designations.map((d: { authority: string; list: string | null }) => [d.authority, d.list])).toEqual([['PK', null], ['UN', 'UN Security Council Consolidated List']]);

    const before = await tables();
    const again = await imported('UN', content(un, 'first'));
    expect(again).toMatchObject({ empty: true, newOrganisations: [], newDesignations: [], changedDesignations: [], aliasesAdded: [], delistings: [], unresolved: [] });
    expect(await tables()).toBe(before);
  });

  it('refuses a malformed file or another schema naming the line or element, and writes nothing', async () => {
    const before = await tables();
    const truncated = content(un, 'delisted').slice(0, -40);
    const malformed = await run(t.cw.system, 'UN', truncated);
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0].message).toMatch(/^not well-formed XML.*\(line \d+, column \d+\); nothing was imported$/);
    expect(malformed.errors?.[0].extensions?.line).toEqual(expect.any(Number));
    const wrongSchema = await run(t.cw.system, 'UN', content(ofac, 'first'));
    expect(wrongSchema.errors?.[0]).toMatchObject({ message: expect.stringContaining('the root element is <sdnList>, expected <CONSOLIDATED_LIST>'), extensions: { code: 'BAD_USER_INPUT', element: 'sdnList' } });
    const missing = await run(t.cw.system, 'UN', content(un, 'delisted').replace('<FIRST_NAME>ISLAMIC STATE', '<SECOND_NAME>ISLAMIC STATE').replace('(ISIL-K)</FIRST_NAME>', '(ISIL-K)</SECOND_NAME>'));
    expect(missing.errors?.[0]).toMatchObject({ message: expect.stringMatching(/<ENTITY> at line \d+ has no <FIRST_NAME>/), extensions: { code: 'BAD_USER_INPUT', element: 'ENTITY' } });
    const empty = await run(t.cw.system, 'UN', '<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>');
    expect(empty.errors?.[0].message).toContain('carries no entities');
    expect(await tables()).toBe(before);
  });

  it('refuses hostile XML (entity declarations, deep nesting, reserved names) as bad input, never a 500, and writes nothing', async () => {
    const before = await tables();
    const text = content(un, 'first');
    const hostile = [
      text.replace('<CONSOLIDATED_LIST', `<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY big "${'x'.repeat(20_000)}">]>\n<CONSOLIDATED_LIST`),
      text.replace('<ENTITIES>', `<ENTITIES>${'<X>'.repeat(5_000)}${'</X>'.repeat(5_000)}`),
      text.replace('<ENTITIES>', '<ENTITIES><constructor>x</constructor>'),
      text.replace('<ENTITY>', '<ENTITY __proto__="x">'),
    ];
    for (const file of hostile) {
      const response = await run(t.cw.system, 'UN', file);
      expect(response.errors?.[0]).toMatchObject({ message: expect.stringMatching(/nothing was imported$/), extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(await tables()).toBe(before);
  });

  it('reports an entry whose names fit two organisations as unresolved and imports nothing for it', async () => {
    for (const name of ['Lashkar-e-Jhangvi', 'Sipah-e-Sahaba Pakistan']) {
      await t.cw.ok(t.cw.analyst, DESIGNATE, { input: { name, designations: [{ authority: 'OTHER', reference: `hand ${name}`, designatedOn: '2001-08-14' }] } });
    }
    const csv = [
      'type,authority,list,reference,name,aliases,designated_on',
      'entity,PK,NACTA First Schedule,NACTA-FS-9,Lashkar e Jhangvi,SSP|Sipah e Sahaba Pakistan,2001-08-14',
      'entity,PK,NACTA First Schedule,NACTA-FS-10,Hizb-ut-Tahrir,,2003-11-15',
      'entity,PK,NACTA First Schedule,NACTA-FS-11,Hizb ut Tahrir,,2003-11-15',
    ].join('\n');
    const before = await tables();
    const result = await imported('CSV', csv);
    expect(result.unresolved).toEqual([
      {
        reference: 'NACTA-FS-9', name: 'Lashkar e Jhangvi', line: 2, reason: 'its names fit several organisations',
        candidates: expect.arrayContaining([expect.objectContaining({ name: 'Lashkar-e-Jhangvi' }), expect.objectContaining({ name: 'Sipah-e-Sahaba Pakistan' })]),
      },
      { reference: 'NACTA-FS-11', name: 'Hizb ut Tahrir', line: 4, reason: 'its names fit Hizb-ut-Tahrir, which already carries NACTA-FS-10 of this list', candidates: [{ id: expect.any(String), name: 'Hizb-ut-Tahrir' }] },
    ]);
    expect(result.newDesignations.map((d: { reference: string }) => d.reference)).toEqual(['NACTA-FS-10']);
    expect(result.aliasesAdded).toEqual([]);
    const designations = await t.exchange.services.db.query(`SELECT reference FROM designations WHERE reference LIKE 'NACTA-FS-%' ORDER BY reference`);
    expect(designations.map((d: { reference: string }) => d.reference)).toEqual(['NACTA-FS-10']);
    expect(await tables()).not.toBe(before);
    expect((await imported('CSV', csv)).unresolved).toHaveLength(2);
  });

  describe('a de-listing', () => {
    let juaId: string;
    let submitted: { id: string; version: number };
    let draft: { id: string; version: number };
    let closed: { id: string };
    let other: { id: string };

    beforeAll(async () => {
      juaId = (await t.cw.ok(t.cw.analyst, `{ organisations(filter: { search: "jamaat-ul-ahrar" }) { nodes { id } } }`)).organisations.nodes[0].id;
      const account = () => t.cw.account({ organisationIds: [juaId] });
      submitted = await t.cw.move(t.cw.supervisor, (await t.cw.draft({ accountIds: [await account()] })).id, 'SUBMITTED');
      draft = await t.cw.draft({ accountIds: [await account()] });
      closed = await t.cw.move(t.cw.supervisor, (await t.cw.move(t.cw.supervisor, (await t.cw.draft({ accountIds: [await account()] })).id, 'WITHDRAWN')).id, 'CLOSED');
      other = await t.cw.move(t.cw.supervisor, (await t.cw.draft({ accountIds: [await t.cw.account({ organisationIds: [ttpId] })] })).id, 'SUBMITTED');
    });

    it('ends the designation, marks the organisation, and flags its open requests for whoever may see them', async () => {
      const live = await Promise.all([t.cw.supervisor, t.cw.xReviewer, t.cw.moiAnalyst, t.cw.metaReviewer].map((token) => t.exchange.subscribe(token, FLAGGED)));
      const [pta, x, moi, meta] = live;
      const result = await t.cw.ok(t.cw.system, IMPORT.replace('source list', 'source reviewFlagsRaised list'), { input: { source: 'UN', content: content(un, 'delisted') } }).then((data) => data.importDesignations);
      expect(result.reviewFlagsRaised).toBe(2);
      expect(result.delistings).toEqual([{ reference: 'QDe.152', delistedOn: '2026-11-23', organisationId: juaId, organisationName: 'JAMAAT-UL-AHRAR (JuA)', organisationStillDesignated: false }]);
      expect(result).toMatchObject({ newDesignations: [], changedDesignations: [], newOrganisations: [] });

      const organisation = (await t.cw.ok(t.cw.xReviewer, ORGANISATION, { id: juaId })).organisation;
      expect(organisation).toMatchObject({ designated: false, delistedAt: expect.any(String), designations: [{ reference: 'QDe.152', delistedOn: '2026-11-23', active: false }] });
      expect((await t.cw.ok(t.cw.analyst, ORGANISATION, { id: ttpId })).organisation.designated).toBe(true);

      const reason = 'organisation "JAMAAT-UL-AHRAR (JuA)" de-listed by UN on 2026-11-23 (QDe.152, UN Security Council Consolidated List); it has no active designation left';
      for (const request of [submitted, draft]) {
        const read = (await t.cw.ok(t.cw.supervisor, REQUEST, { id: request.id })).takedownRequest;
        expect(read).toMatchObject({ status: request === draft ? 'DRAFT' : 'SUBMITTED', version: request.version, needsReview: true, reviewFlags: [{ reason }] });
      }
      expect((await t.cw.ok(t.cw.xReviewer, REQUEST, { id: submitted.id })).takedownRequest).toMatchObject({ needsReview: true, reviewFlags: [{ reason }] });
      for (const request of [closed, other]) {
        expect((await t.cw.ok(t.cw.supervisor, REQUEST, { id: request.id })).takedownRequest).toMatchObject({ needsReview: false, reviewFlags: [] });
      }

      const ids = (events: { takedownReviewFlagged: { request: { id: string } } }[]) => events.map((e) => e.takedownReviewFlagged.request.id).sort();
      expect(ids([await pta.next(), await pta.next()])).toEqual([submitted.id, draft.id].sort());
      const toX = await x.next();
      expect(toX.takedownReviewFlagged).toEqual({ request: { id: submitted.id, status: 'SUBMITTED', needsReview: true, internalNotes: null }, flag: { reason } });
      expect(ids([await moi.next()])).toEqual([submitted.id]);
      expect(await meta.settle(300)).toEqual([]);
      expect(ids([...(await x.settle(0)), ...(await moi.settle(0))])).toEqual([]);
      await Promise.all(live.map((s) => s.close()));
    });

    it('hides a flagged request, flags and all, from whoever may not see it, like a missing one', async () => {
      const absent = '01938a5e-0000-7000-8000-000000000000';
      for (const [token, request] of [[t.cw.metaReviewer, submitted], [t.cw.moiAnalyst, draft], [t.cw.xReviewer, draft]] as const) {
        const hidden = await t.exchange.gql(token, REQUEST, { id: request.id });
        const missing = await t.exchange.gql(token, REQUEST, { id: absent });
        expect(errorCode(hidden)).toBe('NOT_FOUND');
        expect(hidden.errors?.[0].message.replace(request.id, 'ID')).toBe(missing.errors?.[0].message.replace(absent, 'ID'));
      }
      const queue = (await t.cw.ok(t.cw.metaReviewer, `{ takedownRequests { totalCount nodes { id reviewFlags { reason } } } }`)).takedownRequests;
      expect(queue.nodes.map((r: { id: string }) => r.id)).not.toContain(submitted.id);
      expect((await t.cw.ok(t.cw.moiAnalyst, REQUEST, { id: submitted.id })).takedownRequest).toMatchObject({ needsReview: true, reviewFlags: [{ reason: expect.stringContaining('de-listed by UN') }] });
    });

    it('is settled by the requesting agency alone, with a note platforms do not read', async () => {
      const ACKNOWLEDGE = `mutation($input: AcknowledgeReviewFlagInput!) { acknowledgeReviewFlag(input: $input) { id status version needsReview reviewFlags { id acknowledgedAt acknowledgementNote } } }`;
      const FLAGS = `query($id: ID!) { takedownRequest(id: $id) { status version needsReview reviewFlags { id acknowledgedAt acknowledgementNote } } }`;
      const flagOf = async (request: { id: string }) => (await t.cw.ok(t.cw.supervisor, FLAGS, { id: request.id })).takedownRequest.reviewFlags[0].id as string;
      const [submittedFlag, draftFlag] = [await flagOf(submitted), await flagOf(draft)];
      const acknowledge = (token: string, flagId: string, note = 'the account also posts for TTP, still designated: the request stands') =>
        t.exchange.gql(token, ACKNOWLEDGE, { input: { id: flagId, note } });

      for (const token of [t.cw.xReviewer, t.cw.metaReviewer]) expect(errorCode(await acknowledge(token, submittedFlag))).toBe('FORBIDDEN');
      const byOtherAgency = await acknowledge(t.cw.moiAnalyst, submittedFlag);
      expect(byOtherAgency.errors?.[0]).toMatchObject({ message: 'only the agency that sent the request may acknowledge its review flags', extensions: { code: 'FORBIDDEN' } });
      const absent = '01938a5e-0000-7000-8000-000000000001';
      const hidden = await acknowledge(t.cw.moiAnalyst, draftFlag);
      const missing = await acknowledge(t.cw.moiAnalyst, absent);
      expect(errorCode(hidden)).toBe('NOT_FOUND');
      expect(hidden.errors?.[0].message.replace(draftFlag, 'ID')).toBe(missing.errors?.[0].message.replace(absent, 'ID'));
      expect(errorCode(await acknowledge(t.cw.supervisor, submittedFlag, '   '))).toBe('BAD_USER_INPUT');
      expect((await t.cw.ok(t.cw.supervisor, FLAGS, { id: submitted.id })).takedownRequest).toMatchObject({ needsReview: true, reviewFlags: [{ acknowledgedAt: null }] });

      const settled = (await t.cw.ok(t.cw.supervisor, ACKNOWLEDGE, { input: { id: submittedFlag, note: ' kept: also posts for TTP ' } })).acknowledgeReviewFlag;
      expect(settled).toMatchObject({ id: submitted.id, status: 'SUBMITTED', version: submitted.version, needsReview: false, reviewFlags: [{ id: submittedFlag, acknowledgedAt: expect.any(String), acknowledgementNote: 'kept: also posts for TTP' }] });
      expect((await t.cw.ok(t.cw.moiAnalyst, FLAGS, { id: submitted.id })).takedownRequest.reviewFlags[0].acknowledgementNote).toBe('kept: also posts for TTP');
      expect((await t.cw.ok(t.cw.xReviewer, FLAGS, { id: submitted.id })).takedownRequest).toMatchObject({ needsReview: false, reviewFlags: [{ acknowledgedAt: expect.any(String), acknowledgementNote: null }] });
      const again = await acknowledge(t.cw.supervisor, submittedFlag);
      expect(again.errors?.[0]).toMatchObject({ message: `review flag ${submittedFlag} is already acknowledged`, extensions: { code: 'INVALID_TRANSITION' } });
      expect((await t.cw.ok(t.cw.supervisor, FLAGS, { id: submitted.id })).takedownRequest.reviewFlags[0].acknowledgementNote).toBe('kept: also posts for TTP');
      expect((await t.cw.ok(t.cw.supervisor, FLAGS, { id: draft.id })).takedownRequest.needsReview).toBe(true);
    });

    it('refuses a file older than the last import of its list, in a dry run too, and writes nothing', async () => {
      const before = await tables();
      for (const dryRun of [true, false]) {
        const stale = await run(t.cw.system, 'UN', content(un, 'first'), dryRun);
        expect(stale.errors?.[0]).toMatchObject({
          message: 'the UN Security Council Consolidated List of 2026-11-20 is older than the last import (2026-11-23); import the current list; nothing was imported',
          extensions: { code: 'BAD_USER_INPUT', publishedOn: '2026-11-20', lastImported: '2026-11-23' },
        });
      }
      expect(await tables()).toBe(before);
    });

    it('is idempotent, and a re-listing designates the organisation again', async () => {
      const before = await tables();
      expect((await imported('UN', content(un, 'delisted'))).empty).toBe(true);
      expect(await tables()).toBe(before);
      const relisted = await imported('UN', content(un, 'first').replace('dateGenerated="2026-11-20', 'dateGenerated="2026-11-24'));
      expect(relisted.changedDesignations).toEqual([{ reference: 'QDe.152', designatedOn: '2017-07-06', organisationId: juaId, organisationName: 'JAMAAT-UL-AHRAR (JuA)', matchedBy: 'REFERENCE', changes: ['re-listed (de-listed on 2026-11-23)'] }]);
      expect((await t.cw.ok(t.cw.analyst, ORGANISATION, { id: juaId })).organisation).toMatchObject({ designated: true, delistedAt: null });
      expect((await t.cw.ok(t.cw.supervisor, REQUEST, { id: submitted.id })).takedownRequest.reviewFlags).toHaveLength(1);
    });

    it('is in the audit log like every mutation', async () => {
      const log = (await t.cw.ok(t.cw.supervisor, `{ auditLog(filter: { action: "mutation importDesignations" }, first: 100) { nodes { action outcome actor } } }`)).auditLog.nodes;
      expect(log.filter((e: { outcome: string }) => e.outcome === 'OK').length).toBeGreaterThanOrEqual(5);
      expect(log.filter((e: { outcome: string }) => e.outcome === 'BAD_USER_INPUT').length).toBeGreaterThanOrEqual(4);
      expect(log.every((e: { actor: string | null }) => e.actor === 'pta-system' || e.actor === 'pta-supervisor' || e.actor === 'pta-analyst')).toBe(true);
    });
  });
});

describe('each list format, one after another on the same organisations', () => {
  const t = useCasework();
  const imported = async (source: string, text: string) => (await t.cw.ok(t.cw.system, IMPORT, { input: { source, content: text } })).importDesignations;

  it('imports every list, matching the same organisations across them, and de-lists each in turn', async () => {
    for (const format of FORMATS) {
      const first = await imported(format.source, content(format, 'first'));
      expect(first).toMatchObject({ source: format.source, empty: false, unresolved: [] });
      expect(first.newDesignations.map((d: { reference: string }) => d.reference)).toContain(format.delisted);
      expect((await imported(format.source, content(format, 'first'))).empty).toBe(true);
    }
    const organisations = (await t.cw.ok(t.cw.analyst, `{ organisations(first: 100) { nodes { name designations { authority } } } }`)).organisations.nodes;
    const authorities = Object.fromEntries(organisations.map((o: { name: string; designations: { authority: string }[] }) => [o.name, o.designations.map((d) => d.authority).sort().join(',')]));
    expect(authorities).toEqual({
      'TEHRIK-E TALIBAN PAKISTAN (TTP)': 'EU,PK,UK,UN,US',
      'ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)': 'UN',
      'JAMAAT-UL-AHRAR (JuA)': 'EU,PK,UN,US',
      'BALOCHISTAN LIBERATION ARMY': 'PK,US',
      'BALOCHISTAN LIBERATION FRONT': 'PK,UK',
    });

    const stillDesignated = [];
    for (const format of FORMATS) {
      const second = await imported(format.source, content(format, 'delisted'));
      expect(second.delistings).toHaveLength(1);
      expect(second.delistings[0].reference).toBe(format.delisted);
      stillDesignated.push([second.delistings[0].organisationName, second.delistings[0].organisationStillDesignated]);
      expect((await imported(format.source, content(format, 'delisted'))).empty).toBe(true);
    }
    expect(stillDesignated).toEqual([
      ['JAMAAT-UL-AHRAR (JuA)', true],
      ['JAMAAT-UL-AHRAR (JuA)', true],
      ['BALOCHISTAN LIBERATION FRONT', true],
      ['JAMAAT-UL-AHRAR (JuA)', true],
      ['JAMAAT-UL-AHRAR (JuA)', false],
    ]);
  });

  it('refuses to de-list more than 10% (and more than 3) of a list without allowMassDelisting, in a dry run too', async () => {
    const names = ['Amber Falcon', 'Black Orchid', 'Crimson Tide', 'Dust Wolves', 'Emerald Sabre', 'Frost Legion', 'Granite Hand', 'Hollow Crown', 'Iron Lotus', 'Jade Serpent'];
    const csv = (count: number) => ['type,authority,list,reference,name,designated_on', ...names.slice(0, count).map((name, i) => `entity,PK,Mass Test Schedule,MTS-${i},${name},2020-01-01`)].join('\n');
    expect((await imported('CSV', csv(10))).newDesignations).toHaveLength(10);
    const db = t.exchange.services.db;
    const before = JSON.stringify(await db.query('SELECT * FROM designations ORDER BY id'));
    for (const dryRun of [true, false]) {
      const refused = await t.exchange.gql(t.cw.system, IMPORT, { input: { source: 'CSV', content: csv(6), dryRun } });
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^the file would de-list 4 of the 10 active designations of the Mass Test Schedule, more than 10%;.*allowMassDelisting: true \(pax designations import --allow-mass-delisting\); nothing was imported$/),
        extensions: { code: 'BAD_USER_INPUT', delistings: 4, active: 10 },
      });
    }
    expect(JSON.stringify(await db.query('SELECT * FROM designations ORDER BY id'))).toBe(before);
    expect((await imported('CSV', csv(7))).delistings).toHaveLength(3);
    const allowed = await t.cw.ok(t.cw.system, IMPORT, { input: { source: 'CSV', content: csv(2), allowMassDelisting: true } });
    expect(allowed.importDesignations.delistings.map((d: { reference: string }) => d.reference).sort()).toEqual(['MTS-2', 'MTS-3', 'MTS-4', 'MTS-5', 'MTS-6']);
  });
});

describe('designations typed in by hand before imports existed', () => {
  const t = useCasework();

  it('refuses the same designation twice in one designateOrganisation input as bad input, and writes nothing', async () => {
    const designation = { authority: 'US', reference: 'Foreign Terrorist Organization', designatedOn: '2010-09-01' };
    const response = await t.exchange.gql(t.cw.analyst, DESIGNATE, { input: { name: 'Twice Given Front', designations: [designation, { ...designation }] } });
    expect(response.errors?.[0]).toMatchObject({ message: 'US Foreign Terrorist Organization is given twice; give each designation once', extensions: { code: 'BAD_USER_INPUT' } });
    expect(await t.exchange.services.db.query(`SELECT id FROM organisations WHERE name = 'Twice Given Front'`)).toEqual([]);
  });

  it('migrates a database where two organisations share a hand-typed reference; the key stays unique over imported ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-migrate-'));
    const runDatabase = process.env.PAX_TEST_DATABASE_URL ?? `sqlite:${path.join(dir, 'pax.sqlite')}`;
    const schema = runDatabase.startsWith('postgres') ? await createSchema(runDatabase) : null;
    const url = schema?.url ?? runDatabase;
    const older = createDataSource(url);
    await older.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(DesignationImport1764576000000)) }).initialize();
    await applyMigrations(older);
    await older.query(`INSERT INTO partners (id, slug, name, kind, "createdAt") VALUES ('p1', 'pta', 'PTA', 'AGENCY', CURRENT_TIMESTAMP)`);
    for (const id of ['o1', 'o2']) {
      await older.query(`INSERT INTO organisations (id, name, aliases, "searchText", "createdByPartnerId", "createdAt") VALUES ('${id}', '${id}', '', '${id}', 'p1', CURRENT_TIMESTAMP)`);
      await older.query(`INSERT INTO designations (id, "organisationId", authority, reference, "designatedOn") VALUES ('d-${id}', '${id}', 'US', 'Foreign Terrorist Organization', '2010-09-01')`);
    }
    await older.destroy();
    const db = await createDataSource(url).initialize();
    try {
      expect(await applyMigrations(db)).toContain('DesignationImport1764576000000');
      expect(await db.query('SELECT id FROM designations ORDER BY id')).toEqual([{ id: 'd-o1' }, { id: 'd-o2' }]);
      await db.query(`UPDATE designations SET list = 'FTO list' WHERE id = 'd-o1'`);
      const second = await db.query(`UPDATE designations SET list = 'FTO list' WHERE id = 'd-o2'`).catch((error: unknown) => error);
      expect(isUniqueViolation(second)).toBe(true);
    } finally {
      await db.destroy();
      await schema?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
