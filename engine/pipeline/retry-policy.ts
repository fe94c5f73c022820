// The sender's retry policy. `none` is what the original REST generator effectively did (a 503 batch
// was lost); `sdk-default` is what @azure/event-hubs 6 does out of the box. Its numbers come from
// @azure/core-amqp (util/constants.js: defaultMaxRetries 3, defaultDelayBetweenOperationRetriesInMs
// 30000, defaultMaxDelayForExponentialRetryInMs 90000; retry.js: mode defaults to Fixed), so the
// SDK's default is three retries 30 s apart. Exponential mode (opt-in in the SDK) waits
// d·(2^attempt − 1) with d jittered uniformly in [0.8, 1.2)·retryDelay, capped at maxRetryDelay —
// retry.js calculateDelay, with the jitter drawn from our seeded Random instead of Math.random.
import type { Random } from '../core/random.js';
import type { SenderRetryPolicy } from '../ports/pipeline.js';

export const SDK_DEFAULT_RETRY: Exclude<SenderRetryPolicy, { kind: 'none' }> = {
  kind: 'sdk-default',
  maxRetries: 3,
  retryDelayMs: 30_000,
  maxRetryDelayMs: 90_000,
  mode: 'fixed',
};

export const NO_RETRY: SenderRetryPolicy = { kind: 'none' };

/** Total attempts the policy allows for one request (the first one included). */
export function maxAttempts(policy: SenderRetryPolicy): number {
  return policy.kind === 'none' ? 1 : policy.maxRetries + 1;
}

/** Delay before the next attempt after attempt number `attempt` (1-based) failed. */
export function retryDelayMs(policy: SenderRetryPolicy, attempt: number, random: Random): number {
  if (policy.kind === 'none') return 0;
  if (policy.mode === 'fixed') return policy.retryDelayMs;
  const jittered = policy.retryDelayMs * 0.8 + Math.floor(random.next() * (policy.retryDelayMs * 1.2 - policy.retryDelayMs * 0.8));
  return Math.min(jittered * (Math.pow(2, attempt) - 1), policy.maxRetryDelayMs);
}
