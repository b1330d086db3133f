import path from 'node:path';
import madge from 'madge';

/**
 * The import graph stays a tree: module services take the plain operation context, and only the
 * composition (the service registry, resolvers, the server) knows the registry. A cycle here once
 * ran through context.ts, services.ts and every module.
 */
describe('the import graph', () => {
  it('has no cycle in src/', async () => {
    const root = path.join(__dirname, '..');
    const graph = await madge(path.join(root, 'src'), {
      fileExtensions: ['ts'],
      tsConfig: path.join(root, 'tsconfig.json'),
      excludeRegExp: [/\.test\.ts$/],
    });
    expect(graph.circular()).toEqual([]);
  }, 60000);
});
