import type { DesignationImportResult } from '../modules/designations/designation-import.types';

const section = (title: string, lines: string[]) => [`${title} (${lines.length})`, ...lines.map((line) => `  ${line}`)];

/** `pax designations import --format text`: the diff for a reader; JSON is the default. */
export function importResultText(result: DesignationImportResult): string {
  const header = [
    `${result.list} (${result.authority})${result.publishedOn ? `, published ${result.publishedOn}` : ''}: ${result.entitiesRead} entities read, ` +
      `skipped ${result.individualsSkipped} individuals, ${result.otherSkipped} vessels or aircraft`,
    result.dryRun ? 'Dry run: nothing was written.' : result.empty ? 'Nothing changed.' : 'Written in one transaction.',
  ];
  return [
    ...header,
    ...section('New organisations', result.newOrganisations.map((o) => `${o.reference}  ${o.name}${o.aliases.length ? `  (aliases: ${o.aliases.join(' | ')})` : ''}`)),
    ...section('New designations', result.newDesignations.map((d) => `${d.reference}  ${d.designatedOn}  ${d.organisationName}  [${d.matchedBy}${d.listedName !== d.organisationName ? `, listed as "${d.listedName}"` : ''}]`)),
    ...section('Changed designations', result.changedDesignations.map((d) => `${d.reference}  ${d.organisationName}: ${d.changes.join('; ')}`)),
    ...section('Aliases added', result.aliasesAdded.map((a) => `${a.organisationName}: ${a.aliases.join(' | ')}`)),
    ...section('De-listings', result.delistings.map((d) => `${d.reference}  ${d.delistedOn}  ${d.organisationName}${d.organisationStillDesignated ? '' : '  (no active designation left: marked, open requests flagged for review)'}`)),
    ...section('Unresolved', result.unresolved.map((u) => `${u.reference}  ${u.name}${u.line ? ` (line ${u.line})` : ''}: ${u.reason}`)),
  ].join('\n') + '\n';
}
