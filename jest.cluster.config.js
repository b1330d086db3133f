/** `npm run test:cluster`: real `pax serve` processes over PostgreSQL and Redis (needs `npm run build`). */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/tests/cluster'], testPathIgnorePatterns: [], testTimeout: 60000 };
