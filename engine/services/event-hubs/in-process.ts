// The fast in-process API: the pipeline publishes to and reads from a namespace directly, with
// throughput units applied, no sockets and no AMQP encoding beyond the event bytes themselves.
import { UserError } from '../../core/errors.js';
import type { EventPosition, EventPublisher, EventSubscriber, OutgoingEvent, PublishOutcome, ReceivedEvent } from '../../ports/events.js';
import { encodeEvent, encodeEvents, type EventFields } from './model/event-bytes.js';
import { toReceivedEvent } from './model/decode-event.js';
import type { EventHubsNamespace, PublishInput } from './model/namespace.js';
import type { LogPosition } from './model/partition-log.js';

export function toPublishInput(e: OutgoingEvent): PublishInput {
  const fields: EventFields = { body: e.body, properties: e.properties, partitionKey: e.partitionKey };
  return { bytes: encodeEvent(fields), partitionKey: e.partitionKey, fields };
}

export class InProcessPublisher implements EventPublisher {
  constructor(
    private readonly namespace: EventHubsNamespace,
    private readonly hub: string,
  ) {}

  async publish(batch: readonly OutgoingEvent[], options: { partitionId?: string } = {}): Promise<PublishOutcome> {
    return this.publishSync(batch, options);
  }

  /** Same as publish, without the promise (for tight simulation loops). Events are routed by their own keys, as REST batches are. */
  publishSync(batch: readonly OutgoingEvent[], options: { partitionId?: string } = {}): PublishOutcome {
    const fields = batch.map((e): EventFields => ({ body: e.body, properties: e.properties, partitionKey: e.partitionKey }));
    const { chunk, starts } = encodeEvents(fields);
    const inputs = fields.map((f, i) => ({ chunk, start: starts[i], end: starts[i + 1], partitionKey: f.partitionKey, fields: f }));
    const bytes = starts[fields.length];
    const r = this.namespace.publish(this.hub, inputs, { partitionId: options.partitionId, perEventKeys: true });
    if (r.ok) return { status: 'accepted', partitionId: r.partitionId, count: batch.length, bytes };
    if (r.error === 'server-busy') return { status: 'throttled', count: batch.length, bytes, retryAfterMs: r.retryAfterMs };
    if (r.error === 'not-found') throw new UserError(r.message, { field: 'hub' });
    return { status: 'rejected', count: batch.length, bytes, reason: r.message };
  }

  async close(): Promise<void> {}
}

export function toLogPosition(p: EventPosition): LogPosition {
  switch (p.kind) {
    case 'earliest':
    case 'latest':
      return p;
    case 'offset':
      return { kind: 'offset', offset: Number(p.offset), inclusive: p.inclusive ?? false };
    case 'sequence':
      return { kind: 'sequence', sequenceNumber: p.sequenceNumber, inclusive: p.inclusive ?? false };
    case 'enqueuedTime':
      return { kind: 'enqueuedTime', at: p.at, inclusive: false };
  }
}

export class InProcessSubscriber implements EventSubscriber {
  constructor(
    private readonly namespace: EventHubsNamespace,
    private readonly hub: string,
    readonly consumerGroup = '$Default',
  ) {
    const h = namespace.hub(hub);
    if (!h) throw new UserError(`event hub '${hub}' does not exist in namespace '${namespace.name}'`, { field: 'hub' });
    if (!h.consumerGroup(consumerGroup)) throw new UserError(`consumer group '${consumerGroup}' does not exist on hub '${hub}'`, { field: 'consumerGroup' });
  }

  async partitionIds(): Promise<string[]> {
    return this.namespace.hubProperties(this.hub)!.partitionIds;
  }

  async read(partitionId: string, position: EventPosition, max: number): Promise<ReceivedEvent[]> {
    return this.readSync(partitionId, position, max);
  }

  /** Reads up to `max` events from `position`, capped by the egress allowance of the throughput units. */
  readSync(partitionId: string, position: EventPosition, max: number): ReceivedEvent[] {
    const log = this.namespace.hub(this.hub)!.partition(partitionId);
    if (!log) throw new UserError(`partition '${partitionId}' does not exist on hub '${this.hub}'`, { field: 'partitionId' });
    const entries = log.readFrom(log.resolve(toLogPosition(position)), max);
    const n = this.namespace.takeEgress(entries);
    const out: ReceivedEvent[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = toReceivedEvent(entries[i], partitionId);
    return out;
  }

  checkpoint(partitionId: string, event: Pick<ReceivedEvent, 'offset' | 'sequenceNumber'>): void {
    this.namespace.setCheckpoint(this.hub, this.consumerGroup, partitionId, { offset: event.offset, sequenceNumber: event.sequenceNumber });
  }

  /** The position to resume from: after the checkpoint, or `fallback` when there is none. */
  resumePosition(partitionId: string, fallback: EventPosition = { kind: 'earliest' }): EventPosition {
    const c = this.namespace.getCheckpoint(this.hub, this.consumerGroup, partitionId);
    return c ? { kind: 'sequence', sequenceNumber: c.sequenceNumber } : fallback;
  }

  async close(): Promise<void> {}
}
