import { Authority } from '../../../common/enums';
import { distinctAliases, isoDate, SanctionsList } from './sanctions-list';
import { childrenOf, readXml, textOf } from './xml';

export const UN_LIST = 'UN Security Council Consolidated List';

/**
 * The UN Security Council Consolidated List, XML edition
 * (https://scsanctions.un.org/resources/xml/en/consolidated.xml), as its schema `consolidated.xsd`
 * lays it out: CONSOLIDATED_LIST[@dateGenerated] > INDIVIDUALS > INDIVIDUAL and ENTITIES > ENTITY,
 * each ENTITY with REFERENCE_NUMBER (QDe.132), FIRST_NAME (an entity's whole name), LISTED_ON
 * (YYYY-MM-DD), NAME_ORIGINAL_SCRIPT and ENTITY_ALIAS (QUALITY, ALIAS_NAME). An alias of QUALITY
 * "Low" is weak; "Good", "a.k.a." and "f.k.a." are strong.
 */
export function parseUnConsolidated(text: string): SanctionsList {
  const { file, root } = readXml(text, {
    title: `a ${UN_LIST}`,
    root: 'CONSOLIDATED_LIST',
    repeated: ['INDIVIDUAL', 'ENTITY', 'ENTITY_ALIAS', 'INDIVIDUAL_ALIAS', 'VALUE', 'ENTITY_ADDRESS'],
  });
  const entitiesElement = childrenOf(root, 'ENTITIES')[0];
  if (!entitiesElement) throw file.refuse(root, 'CONSOLIDATED_LIST', 'has no <ENTITIES>');
  const entities = childrenOf(entitiesElement, 'ENTITY').map((entity) => {
    const name = file.required(entity, 'ENTITY', 'FIRST_NAME');
    const listedOn = textOf(entity.LISTED_ON);
    const designatedOn = isoDate(listedOn);
    if (listedOn && !designatedOn) throw file.refuse(entity, 'ENTITY', `has LISTED_ON "${listedOn}", not a date (YYYY-MM-DD)`);
    const original = textOf(entity.NAME_ORIGINAL_SCRIPT);
    const aliases = childrenOf(entity, 'ENTITY_ALIAS').map((alias) => ({
      name: textOf(alias.ALIAS_NAME) ?? '',
      strong: !/^low/i.test(textOf(alias.QUALITY) ?? ''),
    }));
    return {
      reference: file.required(entity, 'ENTITY', 'REFERENCE_NUMBER'),
      name,
      aliases: distinctAliases(name, [...(original ? [{ name: original, strong: true }] : []), ...aliases]),
      designatedOn,
      line: file.lineOf(entity),
    };
  });
  return {
    authority: Authority.UN,
    list: UN_LIST,
    publishedOn: isoDate(textOf(root.dateGenerated)),
    entities,
    individualsSkipped: childrenOf(childrenOf(root, 'INDIVIDUALS')[0], 'INDIVIDUAL').length,
    otherSkipped: 0,
  };
}
