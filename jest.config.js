/** ts-jest compiles with tsc, which emits the decorator metadata TypeGraphQL and TypeORM read. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Need PostgreSQL, Redis and a build: `npm run test:cluster`, `npm run test:crash`; Chromium: `npm run test:console`.
  testPathIgnorePatterns: ['/node_modules/', '/tests/cluster/', '/tests/crash/', '/tests/console/'],
  transform: {
    // Type errors are reported by `npm run typecheck`, which `npm test` runs first.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
    // jose ships ES modules only; jest runs CommonJS, so its files are compiled like ours.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 30000,
};
