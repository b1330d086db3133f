/** `npm run test:postgres`: the end-to-end suites again, on PostgreSQL. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/tests'],
  globalSetup: '<rootDir>/tests/helpers/postgres-global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/postgres-global-teardown.ts',
};
