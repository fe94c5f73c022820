// Link addresses and receiver filters as the SDKs send them (spec §3.1, §4.1, §5.1, §5.2).
// Python and legacy clients use full URLs (amqps://host/hub/...), JS and Go bare paths.
import type { LogPosition } from '../model/partition-log.js';

/** Strips `scheme://host[:port]/` and surrounding slashes; keeps case (hub names are matched case-insensitively later). */
export function stripHost(address: string): string {
  let s = address.trim();
  const scheme = s.indexOf('://');
  if (scheme >= 0) {
    s = s.slice(scheme + 3);
    const slash = s.indexOf('/');
    s = slash >= 0 ? s.slice(slash + 1) : '';
  }
  return s.replace(/^\/+|\/+$/g, '');
}

export type LinkAddress =
  | { kind: 'cbs' }
  | { kind: 'management'; hub?: string }
  | { kind: 'hub'; hub: string }
  | { kind: 'partition'; hub: string; partitionId: string }
  | { kind: 'consumer'; hub: string; consumerGroup: string; partitionId: string }
  | { kind: 'unknown'; path: string };

export function parseAddress(address: string | undefined | null): LinkAddress {
  const path = stripHost(address ?? '');
  if (path.toLowerCase() === '$cbs') return { kind: 'cbs' };
  const parts = path.split('/');
  if (parts[parts.length - 1].toLowerCase() === '$management') return { kind: 'management', hub: parts.length > 1 ? parts.slice(0, -1).join('/') : undefined };
  if (parts.length === 1 && parts[0]) return { kind: 'hub', hub: parts[0] };
  if (parts.length === 3 && parts[1].toLowerCase() === 'partitions') return { kind: 'partition', hub: parts[0], partitionId: parts[2] };
  if (parts.length === 5 && parts[1].toLowerCase() === 'consumergroups' && parts[3].toLowerCase() === 'partitions')
    return { kind: 'consumer', hub: parts[0], consumerGroup: parts[2], partitionId: parts[4] };
  return { kind: 'unknown', path };
}

const FILTER = /^amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time)\s*(>=|>)\s*'([^']*)'$/i;

/** Digs the selector string out of whatever shape the filter set decoded to (plain string or described value). */
export function selectorFrom(filterSet: unknown): string | undefined {
  if (!filterSet || typeof filterSet !== 'object') return undefined;
  for (const value of Object.values(filterSet as Record<string, unknown>)) {
    let v: unknown = value;
    for (let depth = 0; depth < 4 && v && typeof v === 'object' && 'value' in v; depth++) v = (v as { value: unknown }).value;
    if (typeof v === 'string') return v;
  }
  return undefined;
}

export type FilterResult = { ok: true; position: LogPosition } | { ok: false; message: string };

export function parseSelector(selector: string | undefined): FilterResult {
  // No filter: the service starts at the beginning of the retained stream.
  if (selector === undefined) return { ok: true, position: { kind: 'earliest' } };
  const m = FILTER.exec(selector.trim());
  if (!m) return { ok: false, message: `The filter expression '${selector}' is not supported.` };
  const [, field, op, text] = m;
  const inclusive = op === '>=';
  if (field.toLowerCase() === 'offset') {
    if (text === '@latest') return { ok: true, position: { kind: 'latest' } };
    if (text === '-1') return { ok: true, position: { kind: 'earliest' } };
    if (!/^\d+$/.test(text)) return { ok: false, message: `The offset '${text}' is not valid.` };
    return { ok: true, position: { kind: 'offset', offset: Number(text), inclusive } };
  }
  if (!/^-?\d+$/.test(text)) return { ok: false, message: `The value '${text}' for x-opt-${field} is not a number.` };
  const n = Number(text);
  if (field.toLowerCase() === 'sequence-number') return { ok: true, position: { kind: 'sequence', sequenceNumber: n, inclusive } };
  return { ok: true, position: { kind: 'enqueuedTime', at: n, inclusive } };
}
