/** ts-jest compiles with tsc, which emits the decorator metadata TypeGraphQL and TypeORM read. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Needs PostgreSQL, Redis and a build: `npm run test:cluster`.
  testPathIgnorePatterns: ['/node_modules/', '/tests/cluster/'],
  transform: {
    // Type errors are reported by `npm run typecheck`, which `npm test` runs first.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  testTimeout: 30000,
};
