import { DEFAULT_RETRY_POLICY, nextAttemptAt } from './retry';

const HOUR = 3_600_000;
const start = new Date('2026-11-23T09:00:00Z');

/** Every attempt time of a delivery that never succeeds, with a fixed jitter draw. */
function schedule(draw: number): Date[] {
  const attempts = [start];
  for (let failures = 1; ; failures++) {
    const next = nextAttemptAt(DEFAULT_RETRY_POLICY, start, failures, attempts[attempts.length - 1], null, () => draw);
    if (!next) return attempts;
    attempts.push(next);
  }
}

describe('the retry schedule', () => {
  it.each([0, 0.5, 0.999])('spans at least 24 hours whatever the jitter (draw %p), each wait within the cap', (draw) => {
    const attempts = schedule(draw);
    expect(attempts[attempts.length - 1].getTime() - start.getTime()).toBeGreaterThanOrEqual(24 * HOUR);
    for (let i = 1; i < attempts.length; i++) {
      const wait = attempts[i].getTime() - attempts[i - 1].getTime();
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.capMs);
    }
    expect(attempts.length).toBeLessThan(40);
  });

  it('doubles the wait, with jitter between half and all of it', () => {
    const waitAfter = (failures: number, draw: number) => nextAttemptAt(DEFAULT_RETRY_POLICY, start, failures, start, null, () => draw)!.getTime() - start.getTime();
    expect(waitAfter(1, 0)).toBe(15_000);
    expect(waitAfter(1, 1)).toBe(30_000);
    expect(waitAfter(3, 1)).toBe(120_000);
    expect(waitAfter(30, 1)).toBe(4 * HOUR);
  });

  it("honours a receiver's Retry-After when it asks for longer, but not past the window", () => {
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, start, 1, start, 600_000, () => 0)!.getTime() - start.getTime()).toBe(600_000);
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, start, 1, start, 1_000, () => 0)!.getTime() - start.getTime()).toBe(15_000);
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, start, 1, start, 100 * HOUR, () => 0)!.getTime()).toBe(start.getTime() + 25 * HOUR);
  });

  it('gives up once the window has passed', () => {
    expect(nextAttemptAt(DEFAULT_RETRY_POLICY, start, 12, new Date(start.getTime() + 25 * HOUR), null)).toBeNull();
  });
});
