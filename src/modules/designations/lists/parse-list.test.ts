import fs from 'node:fs';
import path from 'node:path';
import { PaxError } from '../../../common/errors';
import { parseSanctionsList } from './parse-list';
import { DesignationSource, SanctionsList } from './sanctions-list';

const FIXTURES = path.resolve(__dirname, '../../../../tests/fixtures/sanctions');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** The refusal `work` throws: a BAD_USER_INPUT PaxError. */
function refusal(work: () => unknown): PaxError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(PaxError);
    expect((error as PaxError).extensions.code).toBe('BAD_USER_INPUT');
    return error as PaxError;
  }
  throw new Error('expected a refusal');
}

const references = (list: SanctionsList) => list.entities.map((e) => e.reference);
const entity = (list: SanctionsList, reference: string) => list.entities.find((e) => e.reference === reference)!;

const FORMATS = [
  { source: DesignationSource.UN, file: 'un-consolidated', ext: 'xml', root: 'CONSOLIDATED_LIST', delisted: 'QDe.152' },
  { source: DesignationSource.OFAC, file: 'ofac-sdn', ext: 'xml', root: 'sdnList', delisted: '22870' },
  { source: DesignationSource.UK, file: 'uk-sanctions-list', ext: 'xml', root: 'Designations', delisted: 'CTE0031' },
  { source: DesignationSource.EU, file: 'eu-fsf', ext: 'xml', root: 'export', delisted: 'EU.4410.21' },
  { source: DesignationSource.CSV, file: 'nacta-first-schedule', ext: 'csv', root: null, delisted: 'NACTA-FS-71' },
];

describe.each(FORMATS)('$source list', ({ source, file, ext, root, delisted }) => {
  const first = parseSanctionsList(source, fixture(`${file}.${ext}`));
  const second = parseSanctionsList(source, fixture(`${file}-delisted.${ext}`));

  it('reads the entities and drops the entry the second version no longer carries', () => {
    expect(first.entities.length).toBeGreaterThanOrEqual(2);
    expect(references(first)).toContain(delisted);
    expect(references(second)).toEqual(references(first).filter((r) => r !== delisted));
  });

  it('keeps an Arabic-script alias of every entity that has one', () => {
    expect(first.entities.some((e) => e.aliases.some((a) => /\p{Script=Arabic}/u.test(a.name) && a.strong))).toBe(true);
  });

  it('refuses a truncated file naming the line', () => {
    const text = fixture(`${file}.${ext}`);
    const cut = text.slice(0, text.length - (ext === 'csv' ? 40 : 60)) + (ext === 'csv' ? '"unclosed' : '');
    const error = refusal(() => parseSanctionsList(source, cut));
    expect(error.message).toMatch(/line \d+/);
    expect(typeof error.extensions.line).toBe('number');
  });

  if (root) {
    it('refuses a reference that appears twice, naming both lines', () => {
      const repeated = first.entities.find((e) => e.reference !== delisted)!;
      const error = refusal(() => parseSanctionsList(source, fixture(`${file}.${ext}`).replace(delisted, repeated.reference)));
      const lines = [repeated.line, entity(first, delisted).line];
      expect(error.message).toContain(`the reference "${repeated.reference}" appears twice, at line ${lines[0]} and line ${lines[1]}; nothing was imported`);
      expect(error.extensions).toMatchObject({ reference: repeated.reference, lines });
    });

    it('refuses another schema, naming the root element it found', () => {
      const other = FORMATS.find((f) => f.root && f.root !== root)!;
      const error = refusal(() => parseSanctionsList(source, fixture(`${other.file}.xml`)));
      expect(error.message).toContain(`the root element is <${other.root}>, expected <${root}>`);
      expect(error.extensions.element).toBe(other.root);
    });
  }
});

describe('UN Security Council Consolidated List', () => {
  const list = parseSanctionsList(DesignationSource.UN, fixture('un-consolidated.xml'));

  it('reads an entity with its listing date, original-script name and alias qualities', () => {
    expect(list).toMatchObject({ authority: 'UN', publishedOn: '2026-11-20', individualsSkipped: 1, otherSkipped: 0 });
    expect(entity(list, 'QDe.132')).toEqual({
      reference: 'QDe.132',
      name: 'TEHRIK-E TALIBAN PAKISTAN (TTP)',
      designatedOn: '2011-07-29',
      line: 39,
      aliases: [
        { name: 'تحریک طالبان پاکستان', strong: true },
        { name: 'Tehrik-I-Taliban', strong: true },
        { name: 'Tehreek-e-Taliban', strong: true },
        { name: 'Pakistani Taliban', strong: false },
      ],
    });
  });

  it('refuses an ENTITY without a REFERENCE_NUMBER, naming the element and its line', () => {
    const text = fixture('un-consolidated.xml').replace('<REFERENCE_NUMBER>QDe.161</REFERENCE_NUMBER>', '');
    const error = refusal(() => parseSanctionsList(DesignationSource.UN, text));
    expect(error.message).toContain('<ENTITY> at line 72 has no <REFERENCE_NUMBER>');
    expect(error.extensions).toMatchObject({ element: 'ENTITY', line: 72 });
  });

  it('refuses a LISTED_ON that is not a date', () => {
    const text = fixture('un-consolidated.xml').replace('<LISTED_ON>2019-05-14</LISTED_ON>', '<LISTED_ON>14 May 2019</LISTED_ON>');
    expect(refusal(() => parseSanctionsList(DesignationSource.UN, text)).message).toContain('LISTED_ON "14 May 2019"');
  });
});

describe('OFAC SDN list', () => {
  const list = parseSanctionsList(DesignationSource.OFAC, fixture('ofac-sdn.xml'));

  it('takes entities only, with strong and weak akas and no designation date', () => {
    expect(list).toMatchObject({ authority: 'US', publishedOn: '2026-11-20', individualsSkipped: 1, otherSkipped: 1 });
    expect(references(list)).toEqual(['12385', '27031', '22870']);
    expect(entity(list, '22870')).toMatchObject({
      name: 'JAMAAT UL-AHRAR',
      designatedOn: null,
      aliases: [{ name: 'JAMAAT-UL-AHRAR', strong: true }, { name: 'AHRAR-UL-HIND', strong: false }],
    });
  });

  it('refuses a file carrying fewer entries than its Record_Count', () => {
    const text = fixture('ofac-sdn.xml').replace('<Record_Count>5</Record_Count>', '<Record_Count>9</Record_Count>');
    const error = refusal(() => parseSanctionsList(DesignationSource.OFAC, text));
    expect(error.message).toContain('<Record_Count> says 9 entries, the file carries 5');
    expect(error.extensions).toMatchObject({ element: 'Record_Count', line: 5 });
  });

  it('refuses an sdnType it does not know', () => {
    const text = fixture('ofac-sdn.xml').replace('<sdnType>Vessel</sdnType>', '<sdnType>Company</sdnType>');
    expect(refusal(() => parseSanctionsList(DesignationSource.OFAC, text)).message).toMatch(/<sdnEntry> at line \d+ has sdnType "Company"/);
  });
});

describe('UK Sanctions List', () => {
  const list = parseSanctionsList(DesignationSource.UK, fixture('uk-sanctions-list.xml'));

  it('reads name types in any case, alias strength, non-Latin names and DD/MM/YYYY dates', () => {
    expect(list).toMatchObject({ authority: 'UK', publishedOn: '2026-11-20', individualsSkipped: 1, otherSkipped: 1 });
    expect(entity(list, 'AQD0132')).toMatchObject({
      name: 'TEHRIK-E TALIBAN PAKISTAN',
      designatedOn: '2011-07-29',
      aliases: [
        { name: 'TTP', strong: true },
        { name: 'Tehreek-e-Taliban', strong: true },
        { name: 'Pakistani Taliban', strong: false },
        { name: 'تحریک طالبان پاکستان', strong: true },
      ],
    });
  });

  it('leaves a date written with dd/mm placeholders unknown', () => {
    expect(entity(list, 'CTE0031')).toMatchObject({ name: 'BALOCHISTAN LIBERATION FRONT', designatedOn: null });
  });

  it('refuses a Designation without IndividualEntityShip', () => {
    const text = fixture('uk-sanctions-list.xml').replace('<IndividualEntityShip>Ship</IndividualEntityShip>', '');
    expect(refusal(() => parseSanctionsList(DesignationSource.UK, text)).message).toMatch(/<Designation> at line \d+ has no <IndividualEntityShip>/);
  });
});

describe('EU consolidated financial sanctions list', () => {
  const list = parseSanctionsList(DesignationSource.EU, fixture('eu-fsf.xml'));

  it('takes enterprises, the earliest regulation as the designation date, and strong="false" as weak', () => {
    expect(list).toMatchObject({ authority: 'EU', publishedOn: '2026-11-20', individualsSkipped: 1 });
    expect(entity(list, 'EU.1902.71')).toMatchObject({
      name: 'Tehrik-e Taliban Pakistan (TTP)',
      designatedOn: '2011-08-05',
      aliases: [{ name: 'Tehrik-I-Taliban', strong: true }, { name: 'تحریک طالبان پاکستان', strong: true }, { name: 'Pakistani Taliban', strong: false }],
    });
  });

  it('refuses a sanctionEntity without a subjectType', () => {
    const text = fixture('eu-fsf.xml').replace('<subjectType code="enterprise" classificationCode="E"/>', '');
    expect(refusal(() => parseSanctionsList(DesignationSource.EU, text)).extensions).toMatchObject({ element: 'sanctionEntity', line: 5 });
  });
});

describe('PAX designations CSV', () => {
  const csv = (...rows: string[]) => ['type,authority,list,reference,name,aliases,weak_aliases,designated_on', ...rows].join('\r\n');
  const row = 'entity,PK,NACTA First Schedule,NACTA-FS-1,Lashkar-e-Jhangvi,LeJ|لشکر جھنگوی,,2001-08-14';

  it('reads quoted fields, alias columns and skips individuals', () => {
    const list = parseSanctionsList(DesignationSource.CSV, fixture('nacta-first-schedule.csv'));
    expect(list).toMatchObject({ authority: 'PK', list: 'NACTA First Schedule', publishedOn: null });
    expect(entity(list, 'NACTA-FS-71')).toMatchObject({ name: 'Jamaat-ul-Ahrar, a splinter of the TTP', line: 5 });
    expect(entity(list, 'NACTA-FS-38').aliases).toEqual([{ name: 'TTP', strong: true }, { name: 'تحریک طالبان پاکستان', strong: true }, { name: 'Pakistani Taliban', strong: false }]);
    const mixed = parseSanctionsList(DesignationSource.CSV, csv(row, 'individual,PK,NACTA First Schedule,NACTA-FS-2,"Someone ""Quoted""",,,2001-08-14'));
    expect(mixed).toMatchObject({ individualsSkipped: 1, entities: [{ reference: 'NACTA-FS-1', aliases: [{ name: 'LeJ' }, { name: 'لشکر جھنگوی' }] }] });
  });

  it.each([
    ['an unknown column', 'type,authority,list,reference,name,designated_on,notes\n', /line 1: unknown column "notes"/],
    ['a missing column', 'type,authority,list,reference,name\n', /line 1: no "designated_on" column/],
    ['a wrong field count', csv(row, 'entity,PK,NACTA First Schedule'), /line 3: 3 fields, the header has 8/],
    ['a bad date', csv(row.replace('2001-08-14', '2001-02-30')), /line 2, column designated_on: "2001-02-30" is not a date/],
    ['an unknown authority', csv(row.replace(',PK,', ',XX,')), /line 2, column authority/],
    ['two lists in one file', csv(row, row.replace('NACTA First Schedule', 'Fourth Schedule').replace('FS-1', 'FS-2')), /line 3, column list: .* one file is one list/],
    ['a repeated reference', csv(row, row), /line 3, column reference: the reference "NACTA-FS-1" is already on line 2/],
    ['an empty name', csv(row.replace('Lashkar-e-Jhangvi', '')), /line 2, column name: empty/],
    ['no rows', csv(), /no rows under the header/],
  ])('refuses %s', (_what, text, message) => {
    expect(refusal(() => parseSanctionsList(DesignationSource.CSV, text)).message).toMatch(message);
  });
});

describe('hostile XML', () => {
  const un = (body: string, prolog = '') => `<?xml version="1.0"?>\n${prolog}<CONSOLIDATED_LIST dateGenerated="2026-11-20">\n<ENTITIES>\n${body}\n</ENTITIES>\n</CONSOLIDATED_LIST>`;
  const entry = '<ENTITY><REFERENCE_NUMBER>QDe.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME></ENTITY>';

  it.each([
    ['an entity longer than 10,000 characters', `<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY big "${'x'.repeat(20_000)}">]>\n`, '&big;'],
    ['more than 1,000 entities', `<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "aaaa">]>\n`, '&a;'.repeat(1_500)],
    ['a SYSTEM entity', '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', '&x;'],
    ['a bad DOCTYPE', '<!DOCTYPE [[[ >\n', ''],
  ])('refuses a DOCTYPE with %s, naming its line', (_what, prolog, use) => {
    const error = refusal(() => parseSanctionsList(DesignationSource.UN, un(`<ENTITY><REFERENCE_NUMBER>QDe.1</REFERENCE_NUMBER><FIRST_NAME>${use}</FIRST_NAME></ENTITY>`, prolog)));
    expect(error.message).toContain('a <!DOCTYPE> declaration at line 2');
    expect(error.extensions.line).toBe(2);
  });

  it('refuses nesting deeper than the parser allows', () => {
    const error = refusal(() => parseSanctionsList(DesignationSource.UN, un(`${entry}\n${'<X>'.repeat(5_000)}${'</X>'.repeat(5_000)}`)));
    expect(error.message).toMatch(/nested/i);
  });

  it.each(['constructor', '__proto__'])('refuses an element or attribute named %s, naming its line', (name) => {
    for (const body of [`${entry}\n<ENTITY ${name}="x"><REFERENCE_NUMBER>QDe.2</REFERENCE_NUMBER></ENTITY>`, `${entry}\n<${name}>x</${name}>`]) {
      const error = refusal(() => parseSanctionsList(DesignationSource.UN, un(body)));
      expect(error.message).toContain(`"${name}"`);
      expect(error.extensions.line).toBe(5);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
