/** `npm run test:crash`: `kill -9` of real `pax serve` processes mid-storm, on SQLite and PostgreSQL (needs `npm run build`). */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/tests/crash'], testPathIgnorePatterns: [], testTimeout: 120000 };
