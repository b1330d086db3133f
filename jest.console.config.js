/** `npm run test:console`: the console in a real Chromium against a real server (needs `npm run build`). */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/tests/console'], testPathIgnorePatterns: ['/node_modules/'], testTimeout: 60000, maxWorkers: 1 };
