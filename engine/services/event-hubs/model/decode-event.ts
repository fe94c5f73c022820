// Turns stored event bytes into the plain shape the in-process API returns. Events published
// in-process keep their fields and skip this; events that came over AMQP are decoded here.
import { createRequire } from 'node:module';
import type { ReceivedEvent } from '../../../ports/events.js';
import type { LogEntry } from './partition-log.js';

type Rhea = typeof import('rhea');
let rhea: Rhea | undefined;
/** The AMQP library, loaded on the first event that came over AMQP (an in-process run never needs it: ≈ 25 ms of its start). */
function amqp(): Rhea {
  return (rhea ??= createRequire(import.meta.url)('rhea') as Rhea);
}

function bodyBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (body && typeof body === 'object' && 'typecode' in body && (body as { typecode: number }).typecode === 0x75) {
    const s = body as unknown as { content: unknown; multiple?: boolean };
    const parts = (s.multiple ? (s.content as Buffer[]) : [s.content as Buffer]).filter((b) => b instanceof Uint8Array);
    return Buffer.concat(parts);
  }
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body === undefined || body === null) return new Uint8Array();
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * An event published in-process with a text body: its bytes are made only if someone asks for them
 * (the pipeline's stream job reads the text, so a run never encodes its events' bodies a second time).
 */
class TextBodyEvent implements ReceivedEvent {
  private bytes: Uint8Array | undefined;
  constructor(
    readonly bodyText: string,
    readonly properties: Record<string, unknown>,
    readonly partitionId: string,
    readonly offset: string,
    readonly sequenceNumber: number,
    readonly enqueuedTime: number,
    readonly partitionKey: string | undefined,
  ) {}
  get body(): Uint8Array {
    return (this.bytes ??= Buffer.from(this.bodyText, 'utf8'));
  }
}

export function toReceivedEvent(entry: LogEntry, partitionId: string): ReceivedEvent {
  let body: Uint8Array;
  let properties: Record<string, unknown>;
  if (entry.fields) {
    properties = { ...(entry.fields.properties ?? {}) };
    if (typeof entry.fields.body === 'string')
      return new TextBodyEvent(entry.fields.body, properties, partitionId, String(entry.offset), entry.sequenceNumber, entry.enqueuedTime, entry.partitionKey);
    body = entry.fields.body;
  } else {
    const m = amqp().message.decode(entry.bytes);
    body = bodyBytes(m.body);
    properties = { ...((m.application_properties as Record<string, unknown>) ?? {}) };
  }
  return {
    body,
    properties,
    partitionId,
    offset: String(entry.offset),
    sequenceNumber: entry.sequenceNumber,
    enqueuedTime: entry.enqueuedTime,
    partitionKey: entry.partitionKey,
  };
}
