// The generator's send path into the Event Hubs model, with the calibrated burst rule (calibration.ts):
// a request is admitted only if its events fit the TU allowance over the throttling window plus the
// time the request took to arrive. The namespace's own running total (the emulator's TU model) still
// applies after that, and the namespace counts the request either way, so its Azure-named metrics
// (IncomingRequests, ThrottledRequests, IncomingMessages) stay the single source of truth.
import { Random } from '../../core/random.js';
import type { EpochMs } from '../../ports/clock.js';
import type { EventPublisher, OutgoingEvent, PublishOutcome } from '../../ports/events.js';
import type { EventHubsNamespace } from '../../services/event-hubs/model/namespace.js';
import { InProcessPublisher } from '../../services/event-hubs/in-process.js';
import { INGRESS_EVENTS_PER_TU } from '../../services/event-hubs/model/throughput.js';
import type { LocalCalibration } from './calibration.js';

/** Bytes of an event body (UTF-8) without encoding it. */
function bodyBytes(body: Uint8Array | string): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.length;
}

export class CalibratedIngress implements EventPublisher {
  private readonly inner: InProcessPublisher;
  private readonly random: Random;
  /** Running sum of admission probabilities not yet turned into admissions (`expected` sampling). */
  private owed = 0;
  /** Events admitted, drained at the TU rate: the burst the namespace is still absorbing. */
  private level = 0;
  private last: EpochMs | undefined;
  /** Events the generator got in through this door (the rest of IncomingMessages came from outside). */
  accepted = 0;

  constructor(
    private readonly namespace: EventHubsNamespace,
    hub: string,
    private readonly throughputUnits: number,
    private readonly calibration: LocalCalibration,
    seed: number,
  ) {
    this.inner = new InProcessPublisher(namespace, hub);
    this.random = Random.derive(seed, 'rest-upload');
  }

  /** Whether a request of `events` fits, given what the window already holds. */
  private fits(events: number, rate: number): boolean {
    const { ingressWindowSeconds, uploadMeanSeconds, uploadSampling } = this.calibration;
    // It fits if its upload lasts at least `needed` seconds: the allowance grows with the upload time.
    const needed = Math.max(0, (this.level + events) / rate - ingressWindowSeconds);
    if (uploadSampling === 'random') return -uploadMeanSeconds * Math.log(1 - this.random.next()) >= needed;
    this.owed += Math.exp(-needed / uploadMeanSeconds);
    if (this.owed < 0.5) return false;
    this.owed -= 1;
    return true;
  }

  async publish(batch: readonly OutgoingEvent[], options: { partitionId?: string } = {}): Promise<PublishOutcome> {
    const now = this.namespace.clock.now();
    const rate = this.throughputUnits * INGRESS_EVENTS_PER_TU;
    if (this.last !== undefined && now > this.last) this.level = Math.max(0, this.level - (rate * (now - this.last)) / 1000);
    this.last = now;
    if (!this.fits(batch.length, rate)) {
      // Refused before the namespace stores anything: counted as the service would count it.
      const m = this.namespace.metrics;
      m.IncomingRequests++;
      m.ThrottledRequests++;
      let bytes = 0;
      for (const e of batch) bytes += e.bytes ?? bodyBytes(e.body);
      return { status: 'throttled', count: batch.length, bytes, retryAfterMs: Math.max(1, Math.ceil(((this.level + batch.length) / rate - this.calibration.ingressWindowSeconds) * 1000)) };
    }
    const outcome = this.inner.publishSync(batch, options);
    if (outcome.status === 'accepted') {
      this.level += outcome.count;
      this.accepted += outcome.count;
    }
    return outcome;
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}
