// Turns REST send requests (spec §7) into events: the batch JSON shape
// `[{"Body": "...", "UserProperties": {...}, "BrokerProperties": {"PartitionKey": "..."}}]`,
// and single events with BrokerProperties and custom headers as properties.
import type { PublishInput } from '../model/namespace.js';
import { encodeEvent, encodeEvents, type EventFields } from '../model/event-bytes.js';
import { scanPlainBatch } from './fast-batch.js';

export class BadRequest extends Error {}

/** Headers that are HTTP or Azure plumbing, not user properties. */
const STANDARD_HEADERS = new Set([
  'authorization', 'host', 'brokerproperties', 'user-agent', 'connection', 'transfer-encoding', 'expect', 'accept',
  'accept-encoding', 'accept-language', 'content-type', 'content-length', 'content-encoding', 'keep-alive', 'te', 'origin', 'referer',
  'cache-control', 'pragma', 'date', 'via', 'x-forwarded-for', 'x-forwarded-proto', 'cookie',
]);

function brokerProperties(raw: unknown, where: string): { partitionKey?: string; messageId?: string } {
  if (raw === undefined || raw === null) return {};
  let obj = raw;
  if (typeof raw === 'string') {
    try {
      obj = JSON.parse(raw);
    } catch {
      throw new BadRequest(`${where}: BrokerProperties is not valid JSON`);
    }
  }
  if (typeof obj !== 'object' || obj === null) throw new BadRequest(`${where}: BrokerProperties must be an object`);
  const o = obj as Record<string, unknown>;
  const partitionKey = o.PartitionKey === undefined || o.PartitionKey === null ? undefined : String(o.PartitionKey);
  if (partitionKey !== undefined && partitionKey.length > 128) throw new BadRequest(`${where}: PartitionKey is longer than 128 characters`);
  return { partitionKey, messageId: o.MessageId === undefined ? undefined : String(o.MessageId) };
}

function userProperties(raw: unknown, where: string): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new BadRequest(`${where}: UserProperties must be an object`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else out[k] = JSON.stringify(v);
  }
  return out;
}

function toInput(fields: EventFields): PublishInput {
  return { bytes: encodeEvent(fields), partitionKey: fields.partitionKey, fields };
}

export function parseBatch(body: Buffer, forcedKey?: string): PublishInput[] {
  if (forcedKey === undefined) {
    const fast = scanPlainBatch(body);
    if (fast) {
      const { chunk, starts, count } = fast;
      const out: PublishInput[] = new Array(count);
      for (let i = 0; i < count; i++) out[i] = { chunk, start: starts[i], end: starts[i + 1] };
      return out;
    }
  }
  let items: unknown;
  try {
    items = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new BadRequest(`the batch body is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(items)) throw new BadRequest('the batch body must be a JSON array of {"Body": …} objects');
  const fields = items.map((item, i): EventFields => {
    const where = `item ${i}`;
    if (!item || typeof item !== 'object' || !('Body' in item)) throw new BadRequest(`${where}: missing "Body"`);
    const it = item as Record<string, unknown>;
    const raw = it.Body;
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    // a string body is encoded straight into the event bytes as UTF-8 (one copy)
    const body = it.IsBodyBase64 === true ? Buffer.from(text, 'base64') : text;
    if (it.BrokerProperties === undefined && it.UserProperties === undefined) return { body, partitionKey: forcedKey };
    const broker = brokerProperties(it.BrokerProperties, where);
    return { body, properties: userProperties(it.UserProperties, where), partitionKey: forcedKey ?? broker.partitionKey, messageId: broker.messageId };
  });
  // The decoded fields are not kept: REST events are stored as bytes only (one buffer per request).
  const { chunk, starts } = encodeEvents(fields);
  return fields.map((f, i) => ({ chunk, start: starts[i], end: starts[i + 1], partitionKey: f.partitionKey }));
}

export function parseSingle(body: Buffer, headers: Record<string, string | string[] | undefined>, forcedKey?: string): PublishInput {
  const broker = brokerProperties(headers['brokerproperties'], 'header');
  const properties: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (STANDARD_HEADERS.has(name) || name.startsWith('x-ms-') || value === undefined) continue;
    properties[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
  return toInput({ body, properties, partitionKey: forcedKey ?? broker.partitionKey, messageId: broker.messageId, contentType });
}
