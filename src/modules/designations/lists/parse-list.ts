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
  return PARSERS[source](text);
}
