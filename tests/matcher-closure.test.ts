import path from 'node:path';
import madge from 'madge';

const FORBIDDEN = /(^|\/)(typeorm|graphql|type-graphql|@apollo|pg|better-sqlite3|ioredis|express|reflect-metadata|class-validator)(\/|$)/;

/**
 * The embeddable matcher (`pax/matcher`) runs inside a platform's own service: nothing it imports,
 * however indirectly, may pull in GraphQL, TypeORM, a database driver or the server.
 */
describe('the matcher entry point', () => {
  it('has no GraphQL, TypeORM or database import anywhere in its closure', async () => {
    const root = path.join(__dirname, '..');
    const graph = await madge(path.join(root, 'src/matcher/index.ts'), {
      fileExtensions: ['ts', 'js'],
      tsConfig: path.join(root, 'tsconfig.json'),
      includeNpm: true,
      baseDir: path.join(root, 'src'),
    });
    const files = new Set<string>();
    for (const [file, imports] of Object.entries(graph.obj())) for (const f of [file, ...imports]) files.add(f);
    const own = [...files].filter((f) => !f.includes('node_modules'));
    const packages = [...files].filter((f) => f.includes('node_modules')).map((f) => f.slice(f.lastIndexOf('node_modules/') + 'node_modules/'.length));
    // Not vacuous: the closure reaches the engine and its packages.
    expect(own).toEqual(expect.arrayContaining(['matcher/index.ts', 'matcher/codec.ts', 'modules/mirrors/engine/mirror-index.ts']));
    expect(packages.some((p) => p.startsWith('fastest-levenshtein'))).toBe(true);
    expect(packages.filter((p) => FORBIDDEN.test(p))).toEqual([]);
    expect(own.filter((f) => !f.startsWith('matcher/') && !f.startsWith('modules/mirrors/engine/'))).toEqual([]);
  }, 60000);
});
