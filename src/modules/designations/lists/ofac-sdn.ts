import { Authority } from '../../../common/enums';
import { badInput } from '../../../common/errors';
import { distinctAliases, SanctionsList, slashedDate } from './sanctions-list';
import { childrenOf, readXml, textOf, XmlElement } from './xml';

export const OFAC_SDN_LIST = 'OFAC Specially Designated Nationals List';

const fullName = (element: XmlElement) => [textOf(element.firstName), textOf(element.lastName)].filter(Boolean).join(' ');

/**
 * OFAC's SDN list, XML edition (`SDN.XML` from the Sanctions List Service,
 * https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML; schema
 * `sdn.xsd`, element names unchanged since the treasury.gov edition): sdnList > publshInformation
 * (Publish_Date MM/DD/YYYY) and sdnEntry (uid, lastName — an entity's whole name —, sdnType
 * Individual | Entity | Vessel | Aircraft, programList, akaList > aka with type a.k.a./f.k.a. and
 * category strong | weak). The list carries no designation dates.
 */
export function parseOfacSdn(text: string): SanctionsList {
  const { file, root } = readXml(text, {
    title: `the ${OFAC_SDN_LIST}`,
    root: 'sdnList',
    repeated: ['sdnEntry', 'aka', 'program', 'address', 'id', 'nationality', 'citizenship', 'dateOfBirthItem', 'placeOfBirthItem', 'vesselInfo'],
  });
  const published = childrenOf(root, 'publshInformation')[0];
  const declared = textOf(published?.Record_Count);
  const entries = childrenOf(root, 'sdnEntry').length;
  if (declared !== null && Number(declared) !== entries) {
    throw badInput(`not the whole ${OFAC_SDN_LIST}: <Record_Count> says ${declared} entries, the file carries ${entries}; download it again; nothing was imported`, { element: 'Record_Count', line: file.lineOf(published) });
  }
  const counts = { Individual: 0, Vessel: 0, Aircraft: 0 };
  const entities = childrenOf(root, 'sdnEntry').flatMap((entry) => {
    const type = file.required(entry, 'sdnEntry', 'sdnType');
    const reference = file.required(entry, 'sdnEntry', 'uid');
    if (type in counts) counts[type as keyof typeof counts]++;
    else if (type !== 'Entity') throw file.refuse(entry, 'sdnEntry', `has sdnType "${type}", expected Individual, Entity, Vessel or Aircraft`);
    if (type !== 'Entity') return [];
    const name = fullName(entry);
    if (!name) throw file.refuse(entry, 'sdnEntry', 'has no <lastName>');
    const aliases = childrenOf(childrenOf(entry, 'akaList')[0], 'aka').map((aka) => ({
      name: fullName(aka),
      strong: (textOf(aka.category) ?? 'strong').toLowerCase() !== 'weak',
    }));
    return [{ reference, name, aliases: distinctAliases(name, aliases), designatedOn: null, line: file.lineOf(entry) }];
  });
  return {
    authority: Authority.US,
    list: OFAC_SDN_LIST,
    publishedOn: slashedDate(textOf(published?.Publish_Date), 'MDY'),
    entities,
    individualsSkipped: counts.Individual,
    otherSkipped: counts.Vessel + counts.Aircraft,
  };
}
