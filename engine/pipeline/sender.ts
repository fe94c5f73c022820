// A generator session's sender: cuts the session's events into batches, publishes each as one request
// and pauses, as the original REST generator did (1,675 messages, then sleep 5 s). Throttled requests
// are retried or given up according to the retry policy; every outcome is recorded.
import { Random } from '../core/random.js';
import { utf8Length } from '../core/utf8.js';
import type { Clock } from '../ports/clock.js';
import type { EventPublisher, OutgoingEvent, PublishOutcome } from '../ports/events.js';
import type { ProcessHost, SenderRetryPolicy, SessionEvent } from '../ports/pipeline.js';
import type { MetricsRecorder } from './recorder.js';
import type { DropReason } from './reconciliation.js';
import { maxAttempts, retryDelayMs } from './retry-policy.js';
import type { StopSignal } from './stop-signal.js';

/** Event Hubs bills ingress in 64 KB units: a 65 KB event counts as two. */
const BILLING_UNIT_BYTES = 64 * 1024;

export interface SenderOptions {
  session: number;
  events: Iterable<SessionEvent>;
  batchSize: number;
  intervalMs: number;
  retry: SenderRetryPolicy;
  publisher: EventPublisher;
  host: ProcessHost;
  recorder: MetricsRecorder;
  stop: StopSignal;
  seed: number;
}

/** Why the hub refused a batch, from the publisher's reason text (REST status or AMQP condition). */
export function classifyRejection(reason: string): { drop: DropReason; userError: boolean } {
  if (/oversize|too large|exceeds|413|message-size-exceeded/i.test(reason)) return { drop: 'oversize', userError: true };
  if (/malformed|invalid|parse|400|decode-error/i.test(reason)) return { drop: 'malformed', userError: true };
  return { drop: 'server-error', userError: false };
}

export class SessionSender {
  /** Events this sender has batched but whose fate is not settled yet (counted for reconciliation). */
  private pending = 0;
  private readonly random: Random;
  private readonly clock: Clock;

  constructor(private readonly options: SenderOptions) {
    this.random = Random.derive(options.seed, 'sender-retry', options.session);
    this.clock = options.host.clock;
  }

  get inFlight(): number {
    return this.pending;
  }

  async run(): Promise<void> {
    const { batchSize, intervalMs, stop } = this.options;
    let batch: OutgoingEvent[] = [];
    let bytes = 0;
    let units = 0;
    for (const event of this.options.events) {
      if (stop.isStopped) return;
      // The event itself is the outgoing event (a body and nothing else the publisher reads): one
      // object less per event sent.
      batch.push(event);
      const size = event.bytes ?? utf8Length(event.body);
      bytes += size;
      units += Math.max(1, Math.ceil(size / BILLING_UNIT_BYTES));
      if (batch.length === batchSize) {
        await this.send(batch, bytes, units);
        batch = [];
        bytes = 0;
        units = 0;
        if (!(await stop.sleepUntil(this.clock, this.clock.now() + intervalMs))) return;
      }
    }
    if (batch.length > 0 && !stop.isStopped) await this.send(batch, bytes, units);
  }

  private async send(batch: OutgoingEvent[], bytes: number, billingUnits: number): Promise<void> {
    const { recorder, retry } = this.options;
    const n = batch.length;
    recorder.ledger.sent(n);
    this.pending = n;
    const attempts = maxAttempts(retry);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const outcome = await this.attempt(batch, bytes);
      const now = this.clock.now();
      recorder.requestAttempted(now, n, bytes);
      if (outcome.status === 'accepted') {
        recorder.requestAccepted(now, outcome.count, outcome.bytes);
        recorder.ledger.accepted(outcome.count);
        recorder.billableIngressUnits += outcome.count === n ? billingUnits : Math.round((billingUnits * outcome.count) / n);
        // A publisher that reports fewer events than it was given lost some: say so, don't hide it.
        if (outcome.count < n) recorder.eventsDropped(now, n - outcome.count, 'lost-in-publish');
        this.pending = 0;
        return;
      }
      if (outcome.status === 'rejected') {
        const { drop, userError } = classifyRejection(outcome.reason);
        recorder.requestFailed(now, userError);
        // The SDK retries service-side failures, never the client's own (a 4xx stays a 4xx).
        if (!userError && attempt < attempts) {
          if (!(await this.backOff(attempt))) return; // stopped while waiting: the batch stays in flight
          continue;
        }
        recorder.eventsDropped(now, n, attempt > 1 && !userError ? 'retries-exhausted' : drop);
        this.pending = 0;
        return;
      }
      recorder.requestThrottled(now, n, bytes);
      if (attempt < attempts) {
        if (!(await this.backOff(attempt))) return; // stopped while waiting: the batch stays in flight
        continue;
      }
      if (retry.kind === 'none') recorder.ledger.throttled(n);
      else recorder.eventsDropped(now, n, 'retries-exhausted');
      this.pending = 0;
      return;
    }
  }

  private async attempt(batch: OutgoingEvent[], bytes: number): Promise<PublishOutcome> {
    try {
      return await this.options.host.track(this.options.publisher.publish(batch));
    } catch (error) {
      // A transport failure is the service's (or the network's) fault; the SDK retries those too.
      return { status: 'rejected', count: batch.length, bytes, reason: `server error: ${(error as Error).message}` };
    }
  }

  private backOff(attempt: number): Promise<boolean> {
    const delay = retryDelayMs(this.options.retry, attempt, this.random);
    return this.options.stop.sleepUntil(this.clock, this.clock.now() + delay);
  }
}
