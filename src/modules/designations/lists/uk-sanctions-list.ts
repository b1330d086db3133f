import { Authority } from '../../../common/enums';
import { distinctAliases, isoDate, ListedAlias, SanctionsList, slashedDate } from './sanctions-list';
import { childrenOf, readXml, textOf, XmlElement } from './xml';

export const UK_LIST = 'UK Sanctions List';

/** DD/MM/YYYY (unknown parts written "dd" or "mm" leave the date unknown), or ISO 8601. */
const ukDate = (value: string | null) => slashedDate(value, 'DMY') ?? isoDate(value);

const nameOf = (element: XmlElement) =>
  ['Name1', 'Name2', 'Name3', 'Name4', 'Name5', 'Name6'].map((part) => textOf(element[part])).filter(Boolean).join(' ');

const TYPES = ['individual', 'entity', 'ship'];

/**
 * The UK Sanctions List published by the FCDO, XML edition (UK-Sanctions-List.xml, linked from
 * https://www.gov.uk/government/publications/the-uk-sanctions-list; since OFSI's Consolidated List
 * closed on 28 January 2026 it is the only UK list). Layout: Designations > Designation with
 * UniqueID (CTE0025), DateDesignated and LastUpdated (DD/MM/YYYY), IndividualEntityShip
 * (Individual | Entity | Ship), Names > Name (Name1…Name6, NameType "Primary Name" |
 * "Primary Name Variation" | "Alias", AliasStrength "Good quality" | "Low quality"), NonLatinNames >
 * NonLatinName (NameNonLatinScript, NonLatinScriptType, NonLatinScriptLanguage). NameType's case
 * varies in the published file, so it is compared without case.
 */
export function parseUkSanctionsList(text: string): SanctionsList {
  const { file, root } = readXml(text, {
    title: `the ${UK_LIST}`,
    root: 'Designations',
    repeated: ['Designation', 'Name', 'NonLatinName', 'Address', 'RegimeName'],
  });
  const counts = { individual: 0, ship: 0 };
  const entities = childrenOf(root, 'Designation').flatMap((designation) => {
    const type = file.required(designation, 'Designation', 'IndividualEntityShip').toLowerCase();
    const reference = file.required(designation, 'Designation', 'UniqueID');
    if (!TYPES.includes(type)) throw file.refuse(designation, 'Designation', `has IndividualEntityShip "${type}", expected Individual, Entity or Ship`);
    if (type !== 'entity') {
      counts[type as keyof typeof counts]++;
      return [];
    }
    const names = childrenOf(childrenOf(designation, 'Names')[0], 'Name')
      .map((name) => ({ text: nameOf(name), type: (textOf(name.NameType) ?? '').toLowerCase(), strength: (textOf(name.AliasStrength) ?? '').toLowerCase() }))
      .filter((name) => name.text);
    const primary = names.find((name) => name.type === 'primary name') ?? names[0];
    if (!primary) throw file.refuse(designation, 'Designation', 'has no <Names>/<Name>');
    const aliases: ListedAlias[] = [
      ...names.filter((name) => name !== primary).map((name) => ({ name: name.text, strong: !name.strength.startsWith('low') })),
      ...childrenOf(childrenOf(designation, 'NonLatinNames')[0], 'NonLatinName').map((name) => ({ name: textOf(name.NameNonLatinScript) ?? '', strong: true })),
    ];
    const dated = textOf(designation.DateDesignated);
    return [{ reference, name: primary.text, aliases: distinctAliases(primary.text, aliases), designatedOn: ukDate(dated), line: file.lineOf(designation) }];
  });
  return {
    authority: Authority.UK,
    list: UK_LIST,
    publishedOn: ukDate(textOf(root.DateGenerated)),
    entities,
    individualsSkipped: counts.individual,
    otherSkipped: counts.ship,
  };
}
