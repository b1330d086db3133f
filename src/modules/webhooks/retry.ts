/** Exponential backoff with jitter inside a window; see the README for the default schedule. */
export interface RetryPolicy {
  /** The wait after the first failure, before jitter. */
  baseMs: number;
  /** The longest wait between two attempts. */
  capMs: number;
  /** How long after the first attempt (or a redelivery) retries go on; the last one falls at its end. */
  windowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 30_000, capMs: 4 * 3_600_000, windowMs: 25 * 3_600_000 };

/**
 * When to try again after the `failures`-th failed attempt, or null to give up. The wait doubles
 * from `baseMs` up to `capMs`, each drawn between half and all of it so that retries from many
 * deliveries spread out; a receiver's Retry-After is honoured when it asks for longer. No wait runs
 * past the window's end, so the final attempt is made at the end of the window.
 */
export function nextAttemptAt(policy: RetryPolicy, retryingSince: Date, failures: number, now: Date, retryAfterMs: number | null, random: () => number = Math.random): Date | null {
  const end = retryingSince.getTime() + policy.windowMs;
  if (now.getTime() >= end) return null;
  const backoff = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - 1, 40));
  const wait = Math.max(backoff / 2 + (random() * backoff) / 2, retryAfterMs ?? 0);
  return new Date(Math.min(now.getTime() + wait, end));
}
