import { once } from 'node:events';
import { Role } from '../src/auth/roles';
import { MirrorIndexWorker } from '../src/modules/mirrors/mirror-index-worker';
import { useCasework } from './helpers/casework';
import { errorCode, startExchange } from './helpers/exchange';

const SCREEN = `mutation($input: ScreenAccountsInput!) { screenAccounts(input: $input) { handle verdict alert { id } } }`;
const ALERTS = `{ mirrorAlerts { totalCount } }`;
const SIGN_UP = { platform: 'X', handle: 'sada_e_khorasan_new', bio: 'We are back: t.me/sada_khorasan_backup' };

describe('CPU-heavy work in worker threads, through the API', () => {
  const t = useCasework({ PAX_SCREENING_QUEUE: '500' });
  let original: string;
  let xSystem: string;
  const thread = () => (t.exchange.services.mirrors.index as MirrorIndexWorker).thread;

  beforeAll(async () => {
    xSystem = t.exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup-service');
    const flagged = await t.cw.ok(t.cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
      input: { platform: 'X', handle: 'sada_e_khorasan', bio: 'Official channel. Backup: t.me/sada_khorasan_backup', links: ['https://t.me/sada_khorasan_backup'] },
    });
    original = flagged.flagAccount.id;
    const draft = await t.cw.draft({ accountIds: [original] });
    await t.cw.move(t.cw.supervisor, draft.id, 'SUBMITTED');
    await t.cw.move(t.cw.xReviewer, draft.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });
    for (let i = 0; i < 100 && !(await t.exchange.services.mirrors.index.has(original)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await t.exchange.services.mirrors.index.has(original)).toBe(true);
  });

  it('validates every profile of a batch, naming the one that fails, and screens nothing', async () => {
    const accounts = Array.from({ length: 300 }, (_, i) => ({ platform: 'X', handle: `batch_${i}` }));
    accounts[217] = { platform: 'X', handle: 'ok', displayName: '' } as never;
    const alertsBefore = (await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts.totalCount;
    const refused = await t.exchange.gql(xSystem, SCREEN, { input: { accounts: [...accounts, SIGN_UP] } });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].extensions?.fields).toEqual([{ field: 'accounts.217.displayName', problems: [expect.stringMatching(/displayName/)] }]);
    expect((await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts.totalCount).toBe(alertsBefore);
  });

  it('answers RATE_LIMITED while the screening queue is full, writing nothing, and screens once there is room', async () => {
    const alertsBefore = (await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts.totalCount;
    const backlog = t.exchange.services.mirrors.index.screen(Array.from({ length: 3000 }, (_, i) => ({ ...SIGN_UP, handle: `backlog_${i}` })), {});
    const refused = await t.exchange.gql(xSystem, SCREEN, { input: { accounts: [SIGN_UP] } });
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    expect(refused.errors?.[0].message).toMatch(/retry/);
    expect((await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts.totalCount).toBe(alertsBefore);
    await backlog;
    const [screened] = (await t.cw.ok(xSystem, SCREEN, { input: { accounts: [SIGN_UP] } })).screenAccounts;
    expect(screened.verdict).toMatch(/MIRROR/);
    expect(screened.alert).not.toBeNull();
    expect((await t.cw.ok(t.cw.analyst, ALERTS)).mirrorAlerts.totalCount).toBe(alertsBefore + 1);
  });

  it('rebuilds the index from the database in a new thread when its thread dies, and screens against the rebuilt one', async () => {
    const dead = thread();
    await dead.terminate();
    expect(thread()).not.toBe(dead);
    const [screened] = (await t.cw.ok(xSystem, SCREEN, { input: { accounts: [SIGN_UP] } })).screenAccounts;
    expect(screened.verdict).toMatch(/MIRROR/);
    expect(await t.exchange.services.mirrors.index.has(original)).toBe(true);
  });
});

it('ends the index thread when the services close', async () => {
  const exchange = await startExchange();
  const exited = once((exchange.services.mirrors.index as MirrorIndexWorker).thread, 'exit');
  await exchange.close();
  await expect(exited).resolves.toBeDefined();
});
