import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.join(__dirname, '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/**
 * `package.json` promises a Node version; every locked package must accept it, or `npm install`
 * warns (EBADENGINE) and the promise is false. @whatwg-node/promise-helpers 2 asked for Node 22.15,
 * so it is pinned to 1.3.2, which has every function its dependants call.
 */
describe('the Node version PAX promises', () => {
  const promised = semver.minVersion(read('package.json').engines.node)!.version;

  it('is one this machine runs or newer', () => {
    expect(semver.gte(process.versions.node, promised)).toBe(true);
  });

  it('is accepted by every package in the lockfile', () => {
    const packages: Record<string, { engines?: { node?: string } }> = read('package-lock.json').packages;
    const refusing = Object.entries(packages)
      .filter(([, meta]) => typeof meta.engines?.node === 'string' && !semver.satisfies(promised, meta.engines.node))
      .map(([name, meta]) => `${name} needs node ${meta.engines!.node}`);
    expect(refusing).toEqual([]);
  });
});
