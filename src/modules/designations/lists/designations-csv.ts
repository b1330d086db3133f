import { Authority } from '../../../common/enums';
import { badInput } from '../../../common/errors';
import { distinctAliases, isoDate, ListedEntity, SanctionsList } from './sanctions-list';

/** The columns, in any order; see docs/designation-import.md for their meaning. */
export const CSV_COLUMNS = ['type', 'authority', 'list', 'reference', 'name', 'aliases', 'weak_aliases', 'designated_on'] as const;
const REQUIRED: readonly string[] = ['type', 'authority', 'list', 'reference', 'name', 'designated_on'];
const ALIAS_SEPARATOR = '|';

const refuse = (line: number, problem: string, column?: string) =>
  badInput(`not a PAX designations CSV: line ${line}${column ? `, column ${column}` : ''}: ${problem}; nothing was imported`, { line, ...(column ? { column } : {}) });

/** RFC 4180 records with the line each starts on: quoted fields may hold commas, quotes ("") and line breaks. */
function records(text: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw refuse(line, 'text after a closing quote');
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field) throw refuse(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') out.push({ fields, line: start });
      [fields, field] = [[], ''];
      start = ++line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw refuse(quoteLine, 'a quoted field is never closed');
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') out.push({ fields, line: start });
  return out;
}

const splitAliases = (value: string | undefined) => (value ?? '').split(ALIAS_SEPARATOR).map((alias) => alias.trim()).filter(Boolean);

/**
 * PAX's CSV for lists published only as documents, such as NACTA's First Schedule: UTF-8, comma
 * separated, RFC 4180 quoting, a header row naming the columns. One file is one whole list: every
 * row has the same authority and list.
 */
export function parseDesignationsCsv(text: string): SanctionsList {
  const [header, ...rows] = records(text.replace(/^\uFEFF/, ''));
  if (!header) throw refuse(1, 'the file is empty; the first line names the columns');
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = columns.find((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown !== undefined) throw refuse(1, `unknown column "${unknown}"; the columns are ${CSV_COLUMNS.join(', ')}`);
  const missing = REQUIRED.find((name) => !columns.includes(name));
  if (missing) throw refuse(1, `no "${missing}" column`);
  const duplicated = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicated) throw refuse(1, `the column "${duplicated}" appears twice`);
  let scope: { authority: Authority; list: string; line: number } | null = null;
  const references = new Map<string, number>();
  let individualsSkipped = 0;
  const entities: ListedEntity[] = [];
  for (const { fields, line } of rows) {
    if (fields.length !== columns.length) throw refuse(line, `${fields.length} fields, the header has ${columns.length}`);
    const row = Object.fromEntries(columns.map((name, i) => [name, fields[i].normalize('NFC').trim()]));
    for (const name of REQUIRED) if (!row[name]) throw refuse(line, 'empty', name);
    const authority = row.authority.toUpperCase() as Authority;
    if (!Object.values(Authority).includes(authority)) throw refuse(line, `"${row.authority}" is not one of ${Object.values(Authority).join(', ')}`, 'authority');
    scope ??= { authority, list: row.list, line };
    if (authority !== scope.authority || row.list !== scope.list) {
      throw refuse(line, `${authority} "${row.list}" differs from ${scope.authority} "${scope.list}" on line ${scope.line}; one file is one list`, authority !== scope.authority ? 'authority' : 'list');
    }
    const designatedOn = isoDate(row.designated_on);
    if (!designatedOn || row.designated_on.length !== 10) throw refuse(line, `"${row.designated_on}" is not a date (YYYY-MM-DD)`, 'designated_on');
    const type = row.type.toLowerCase();
    if (type !== 'entity' && type !== 'individual') throw refuse(line, `"${row.type}" is neither entity nor individual`, 'type');
    const seen = references.get(row.reference);
    if (seen) throw refuse(line, `the reference "${row.reference}" is already on line ${seen}`, 'reference');
    references.set(row.reference, line);
    if (type === 'individual') {
      individualsSkipped++;
      continue;
    }
    const aliases = [...splitAliases(row.aliases).map((name) => ({ name, strong: true })), ...splitAliases(row.weak_aliases).map((name) => ({ name, strong: false }))];
    entities.push({ reference: row.reference, name: row.name, aliases: distinctAliases(row.name, aliases), designatedOn, line });
  }
  if (!scope) throw refuse(2, 'no rows under the header');
  return { authority: scope.authority, list: scope.list, publishedOn: null, entities, individualsSkipped, otherSkipped: 0 };
}
