import { Role } from '../src/auth/roles';
import { keySetOf, SignalMatcher, SignalPublicJwk } from '../src/matcher';
import { MirrorIndex, MirrorMatch } from '../src/modules/mirrors/engine/mirror-index';
import { generateLabelledSet } from '../src/modules/mirrors/engine/synthetic';
import { MirrorService } from '../src/modules/mirrors/mirror.service';
import { readRemovedAccounts } from '../src/modules/mirrors/removed-accounts';
import { useCasework } from './helpers/casework';
import { ManualClock } from './helpers/exchange';

const SCREEN_MANY = `mutation($input: ScreenAccountsInput!) { screenAccounts(input: $input) { handle verdict probability
  matches { probability verdict signals removedAccount { platform handle displayName organisations removedAt } } } }`;

/** The platforms the test exchange has an operator for, and the reviewer who actions there. */
const OPERATED = ['X', 'FACEBOOK', 'TELEGRAM'] as const;

type View = { probability: number; verdict: string; signals: string[]; removedAccount: { platform: string; handle: string; displayName: string | null; organisations: string[]; removedAt: string } };
const ordered = (matches: View[]) => [...matches].sort((a, b) => b.probability - a.probability || a.removedAccount.handle.localeCompare(b.removedAccount.handle));

/**
 * The embedded matcher, loaded from the signed feed, against `screenAccount` on a real server, on
 * the evaluation set's generator (seed 7, as `eval:mirrors`) at a size jest runs in seconds.
 */
describe('parity of the embedded matcher with screenAccount', () => {
  const clock = new ManualClock();
  const t = useCasework({}, clock);

  const set = generateLabelledSet({ seed: 7, banned: 400, positivesPerFamily: 20, negativesPerFamily: 25 });
  let all: string[] = [];

  beforeAll(async () => {
    const { cw, exchange } = t;
    const organisations = new Map<string, string>();
    for (const id of ['ttp', 'iskp', 'bla', 'blf']) organisations.set(id, await cw.organisation());
    const reviewers: Record<(typeof OPERATED)[number], string> = { X: cw.xReviewer, FACEBOOK: cw.metaReviewer, TELEGRAM: exchange.token('telegram', Role.PLATFORM_REVIEWER) };
    const byPlatform = new Map<(typeof OPERATED)[number], string[]>();
    const taken = new Set<string>();
    for (const [i, account] of set.banned.entries()) {
      const platform = OPERATED[i % OPERATED.length];
      if (taken.has(`${platform}:${account.handle.toLowerCase()}`)) continue;
      taken.add(`${platform}:${account.handle.toLowerCase()}`);
      const flagged = await cw.ok(cw.analyst, `mutation($input: FlagAccountInput!) { flagAccount(input: $input) { id } }`, {
        input: {
          platform, handle: account.handle, displayName: account.displayName, bio: account.bio, links: account.links ?? [], avatarPdq: account.avatarPdq,
          organisationIds: (account.organisationIds ?? []).map((o) => organisations.get(o)),
        },
      });
      byPlatform.set(platform, [...(byPlatform.get(platform) ?? []), flagged.flagAccount.id]);
    }
    for (const [platform, ids] of byPlatform) {
      for (let i = 0; i < ids.length; i += 100) {
        const draft = await cw.draft({ accountIds: ids.slice(i, i + 100) });
        await cw.move(cw.supervisor, draft.id, 'SUBMITTED');
        await cw.move(reviewers[platform], draft.id, 'ACTIONED', { action: 'ACCOUNT_SUSPENDED' });
      }
    }
    all = [...byPlatform.values()].flat();
    const index = exchange.services.mirrors.index;
    for (let i = 0; i < 200 && !(await Promise.all(all.map((id) => index.has(id)))).every(Boolean); i++) await new Promise((r) => setTimeout(r, 25));
  }, 240000);

  it('gives identical verdicts, probabilities (to 1e-9), matches and signals for every candidate', async () => {
    const { cw, exchange } = t;

    const xSystem = exchange.token('x', Role.PLATFORM_SYSTEM, 'x-signup-service');
    const base = exchange.url.replace('/graphql', '/signals/v1');
    const matcher = new SignalMatcher(keySetOf((await (await fetch(`${base}/keys`)).json()) as { keys: SignalPublicJwk[] }));
    await matcher.loadSnapshot(Buffer.from(await (await fetch(`${base}/snapshot`, { headers: { authorization: `Bearer ${xSystem}` } })).arrayBuffer()));
    expect(matcher.size).toBe(all.length);

    const profiles = set.queries.map(({ subject }) => ({
      platform: 'X', handle: subject.handle, displayName: subject.displayName ?? null, bio: subject.bio ?? null, links: subject.links ?? [], avatarPdq: subject.avatarPdq?.[0] ?? null,
    }));
    const served = (await cw.ok(xSystem, SCREEN_MANY, { input: { accounts: profiles } })).screenAccounts as { verdict: string; probability: number; matches: View[] }[];
    expect(served).toHaveLength(profiles.length);
    let alarming = 0;
    profiles.forEach((profile, i) => {
      const local = matcher.screen({ ...profile, avatarPdq: profile.avatarPdq ? [profile.avatarPdq] : [] }, { now: clock.now().getTime() });
      const remote = served[i];
      expect(local[0]?.verdict ?? 'NO_MATCH').toBe(remote.verdict);
      expect(Math.abs((local[0]?.probability ?? 0) - remote.probability)).toBeLessThanOrEqual(1e-9);
      expect(local).toHaveLength(remote.matches.length);
      const [l, r] = [ordered(local), ordered(remote.matches)];
      l.forEach((match, k) => {
        expect(Math.abs(match.probability - r[k].probability)).toBeLessThanOrEqual(1e-9);
        expect(match.verdict).toBe(r[k].verdict);
        expect(match.signals).toEqual(r[k].signals);
        expect({ ...match.removedAccount, organisations: [...match.removedAccount.organisations].sort() }).toEqual({ ...r[k].removedAccount, organisations: [...r[k].removedAccount.organisations].sort() });
      });
      if (remote.verdict !== 'NO_MATCH') alarming++;
    });
    // Not a vacuous comparison: most mirrors in the set are caught.
    expect(alarming).toBeGreaterThan(set.queries.filter((q) => q.originalId).length / 2);
  }, 120000);

  it('builds the server index at start from the feed, equal to a fresh build from the accounts', async () => {
    const { services } = t.exchange;
    const fresh = new MirrorIndex();
    for (const { account } of await readRemovedAccounts(services.db.manager, all)) if (account) fresh.add(account);
    expect(fresh.size).toBe(all.length);
    // The start-up path itself: a second mirror service over the same database, loading from the feed.
    const started = new MirrorService(services.db, services.events, services.log, services.takedowns, services.workers, { ...services.config.workers, threads: 0 }, clock, services.signals);
    await started.start();
    try {
      const now = clock.now().getTime();
      for (const { subject } of set.queries) {
        const [loaded] = await started.index.screen([subject], { limit: 10, minProbability: 0, now });
        const built = fresh.screen(subject, { limit: 10, minProbability: 0, now });
        const view = (matches: MirrorMatch[]) => matches.map((m) => ({ id: m.account.id, p: m.probability, signals: m.signals.map((s) => s.text) }));
        expect(view(loaded)).toEqual(view(built));
      }
    } finally {
      await started.stop();
    }
  }, 120000);
});
