import { badInput } from '../../../common/errors';
import { parseDesignationsCsv } from './designations-csv';
import { parseEuFsf } from './eu-fsf';
import { parseOfacSdn } from './ofac-sdn';
import { DesignationSource, SanctionsList } from './sanctions-list';
import { parseUkSanctionsList } from './uk-sanctions-list';
import { parseUnConsolidated } from './un-consolidated';

const PARSERS: Record<DesignationSource, (text: string) => SanctionsList> = {
  [DesignationSource.UN]: parseUnConsolidated,
  [DesignationSource.OFAC]: parseOfacSdn,
  [DesignationSource.UK]: parseUkSanctionsList,
  [DesignationSource.EU]: parseEuFsf,
  [DesignationSource.CSV]: parseDesignationsCsv,
};

/** Reads a whole published list; a malformed file or another schema is refused naming the line or element. */
export function parseSanctionsList(source: DesignationSource, text: string): SanctionsList {
  const list = PARSERS[source](text);
  refuseRepeatedReferences(list);
  return list;
}

/** A designation is keyed by authority and reference, so an entry listed twice could only be written twice. */
function refuseRepeatedReferences(list: SanctionsList): void {
  const seen = new Map<string, number | null>();
  for (const entity of list.entities) {
    if (!seen.has(entity.reference)) {
      seen.set(entity.reference, entity.line);
      continue;
    }
    const first = seen.get(entity.reference);
    const at = (line: number | null) => (line ? `line ${line}` : 'an earlier entry');
    throw badInput(`not a usable ${list.list}: the reference "${entity.reference}" appears twice, at ${at(first ?? null)} and ${at(entity.line)}; nothing was imported`, {
      reference: entity.reference,
      line: entity.line,
      lines: [first ?? null, entity.line],
    });
  }
}
