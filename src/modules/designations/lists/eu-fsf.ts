import { Authority } from '../../../common/enums';
import { distinctAliases, isoDate, SanctionsList } from './sanctions-list';
import { childrenOf, readXml, textOf } from './xml';

export const EU_LIST = 'EU Consolidated Financial Sanctions List';

const SUBJECT_TYPES = ['person', 'enterprise'];

/**
 * The EU consolidated list of persons, groups and entities subject to financial sanctions, XML 1.1
 * (https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content; namespace
 * http://eu.europa.ec/fpi/fsd/export). Layout: export[@generationDate] > sanctionEntity
 * [@euReferenceNumber @unitedNationId @logicalId] with regulation[@publicationDate], subjectType
 * [@code person | enterprise] and nameAlias[@wholeName @strong @nameLanguage]. The designation date
 * is the earliest publication date of the regulations that list the entity; nameAlias strong="false"
 * is weak.
 */
export function parseEuFsf(text: string): SanctionsList {
  const { file, root } = readXml(text, {
    title: `the ${EU_LIST} (XML 1.1)`,
    root: 'export',
    repeated: ['sanctionEntity', 'regulation', 'nameAlias', 'citizenship', 'birthdate', 'address', 'identification', 'remark'],
  });
  let individualsSkipped = 0;
  const entities = childrenOf(root, 'sanctionEntity').flatMap((entity) => {
    const subject = childrenOf(entity, 'subjectType')[0];
    const code = textOf(subject?.code);
    if (!code) throw file.refuse(entity, 'sanctionEntity', 'has no <subjectType code>');
    if (!SUBJECT_TYPES.includes(code)) throw file.refuse(entity, 'sanctionEntity', `has subjectType "${code}", expected person or enterprise`);
    if (code === 'person') {
      individualsSkipped++;
      return [];
    }
    const reference = textOf(entity.euReferenceNumber) ?? (textOf(entity.logicalId) && `logicalId ${textOf(entity.logicalId)}`);
    if (!reference) throw file.refuse(entity, 'sanctionEntity', 'has neither euReferenceNumber nor logicalId');
    const names = childrenOf(entity, 'nameAlias')
      .map((alias) => ({ name: textOf(alias.wholeName) ?? '', strong: textOf(alias.strong) !== 'false' }))
      .filter((alias) => alias.name);
    const primary = names.find((alias) => alias.strong) ?? names[0];
    if (!primary) throw file.refuse(entity, 'sanctionEntity', 'has no <nameAlias wholeName>');
    const published = childrenOf(entity, 'regulation').map((regulation) => isoDate(textOf(regulation.publicationDate))).filter((date): date is string => date !== null);
    return [{
      reference,
      name: primary.name,
      aliases: distinctAliases(primary.name, names.filter((alias) => alias !== primary)),
      designatedOn: published.sort()[0] ?? null,
      line: file.lineOf(entity),
    }];
  });
  return { authority: Authority.EU, list: EU_LIST, publishedOn: isoDate(textOf(root.generationDate)), entities, individualsSkipped, otherSkipped: 0 };
}
