import { ExchangeCore1763884800000 } from './1763884800000-ExchangeCore';

/** Listed by hand so the same list works from TypeScript (tests) and compiled JavaScript. */
export const MIGRATIONS = [ExchangeCore1763884800000];
