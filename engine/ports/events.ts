// Ports for the ingestion leg: something publishes events to a hub, something subscribes to them.
import type { EpochMs } from './clock.js';

export interface OutgoingEvent {
  body: Uint8Array | string;
  /** UTF-8 bytes of `body`, when the sender knows them (a refused request then never needs the body). */
  bytes?: number;
  properties?: Record<string, unknown>;
  partitionKey?: string;
}

export type PublishOutcome =
  | { status: 'accepted'; partitionId: string; count: number; bytes: number }
  | { status: 'throttled'; count: number; bytes: number; retryAfterMs?: number }
  | { status: 'rejected'; count: number; bytes: number; reason: string };

export interface EventPublisher {
  /** Sends a batch as one request (as the REST batch API or an AMQP batch message does). */
  publish(batch: readonly OutgoingEvent[], options?: { partitionId?: string }): Promise<PublishOutcome>;
  close(): Promise<void>;
}

export interface ReceivedEvent {
  body: Uint8Array;
  /**
   * The body as text, when the hub has it as text (an event published in-process with a text body):
   * a reader that wants text uses it rather than decoding `body`, and its byte length rather than
   * `body.length` — the in-process hub then never makes the bytes at all.
   */
  bodyText?: string;
  properties: Record<string, unknown>;
  partitionId: string;
  offset: string;
  sequenceNumber: number;
  enqueuedTime: EpochMs;
  partitionKey?: string;
}

export type EventPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: string; inclusive?: boolean }
  | { kind: 'sequence'; sequenceNumber: number; inclusive?: boolean }
  | { kind: 'enqueuedTime'; at: EpochMs };

export interface EventSubscriber {
  partitionIds(): Promise<string[]>;
  /** Reads up to `max` events from a partition starting at `position`. */
  read(partitionId: string, position: EventPosition, max: number): Promise<ReceivedEvent[]>;
  close(): Promise<void>;
}
