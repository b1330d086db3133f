import fs from 'node:fs';
import path from 'node:path';

/**
 * Meta's PDQ reference images and hashes, read in place from `../shared/pdq-reference` beside the
 * repository. CI has them; a stranger's clone does not, so the suites that need them skip with a
 * note instead of failing.
 */
export const PDQ_REFERENCE_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'pdq-reference');

export const hasPdqReference = fs.existsSync(path.join(PDQ_REFERENCE_DIR, 'expected.csv'));

/** `describe` when the reference set is present; otherwise a skipped block and a visible note. */
export function describeWithPdqReference(name: string, body: () => void): void {
  if (hasPdqReference) {
    describe(name, body);
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED "${name}": no PDQ reference set at ${PDQ_REFERENCE_DIR} (CI provides it)`);
  describe.skip(name, body);
}
