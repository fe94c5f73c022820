// Byte-level handling of stored events (spec Appendix A.2). Every event is kept as the AMQP message
// bytes its producer encoded; only the message-annotations section is rewritten on delivery. Decoding
// and re-encoding with a generic AMQP library would change types (int → uint, True → 1) that Go,
// Python and .NET consumers see, so everything else is copied verbatim.

export const SECTION = {
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  properties: 0x73,
  applicationProperties: 0x74,
  data: 0x75,
  amqpSequence: 0x76,
  amqpValue: 0x77,
  footer: 0x78,
} as const;

export class MalformedAmqpError extends Error {
  constructor(message: string) {
    super(`malformed AMQP message: ${message}`);
    this.name = 'MalformedAmqpError';
  }
}

function need(buf: Uint8Array, pos: number, n: number): void {
  if (pos + n > buf.length) throw new MalformedAmqpError(`truncated at byte ${pos}`);
}

/** Returns the position just after the AMQP value that starts at `pos`. */
export function skipValue(buf: Buffer, pos: number): number {
  need(buf, pos, 1);
  const code = buf[pos];
  if (code === 0x00) {
    // described: descriptor value, then the value itself
    return skipValue(buf, skipValue(buf, pos + 1));
  }
  return pos + 1 + valueWidth(buf, code, pos + 1);
}

function valueWidth(buf: Buffer, code: number, at: number): number {
  const sub = code & 0xf0;
  if (code >= 0x40 && code <= 0x45) return 0;
  if (sub === 0x50) return 1;
  if (sub === 0x60) return 2;
  if (sub === 0x70) return 4;
  if (sub === 0x80) return 8;
  if (sub === 0x90) return 16;
  if (sub === 0xa0 || sub === 0xc0 || sub === 0xe0) {
    need(buf, at, 1);
    const w = 1 + buf[at];
    need(buf, at, w);
    return w;
  }
  if (sub === 0xb0 || sub === 0xd0 || sub === 0xf0) {
    need(buf, at, 4);
    const w = 4 + buf.readUInt32BE(at);
    need(buf, at, w);
    return w;
  }
  throw new MalformedAmqpError(`unknown type code 0x${code.toString(16)} at byte ${at - 1}`);
}

export interface SectionSpan {
  code: number;
  start: number;
  end: number;
  /** Where the section's value starts (after the descriptor). */
  valueStart: number;
}

/** Splits an encoded message into its sections; each must be a described value with a 0x70–0x78 descriptor. */
export function splitSections(buf: Buffer): SectionSpan[] {
  const spans: SectionSpan[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== 0x00) throw new MalformedAmqpError(`expected a described section at byte ${pos}`);
    need(buf, pos, 2);
    let code: number;
    let valueStart: number;
    if (buf[pos + 1] === 0x53) {
      need(buf, pos, 3);
      code = buf[pos + 2];
      valueStart = pos + 3;
    } else if (buf[pos + 1] === 0x80) {
      need(buf, pos, 10);
      const hi = buf.readUInt32BE(pos + 2);
      code = hi === 0 ? buf.readUInt32BE(pos + 6) : -1;
      valueStart = pos + 10;
    } else if (buf[pos + 1] === 0xa3 || buf[pos + 1] === 0xb3) {
      // symbolic descriptors (amqp:data:binary …) are legal but no SDK uses them
      valueStart = skipValue(buf, pos + 1);
      const name = buf.toString('latin1', pos + 3, valueStart);
      code = SYMBOLIC_SECTIONS[name] ?? -1;
    } else {
      throw new MalformedAmqpError(`unsupported section descriptor at byte ${pos}`);
    }
    if (code < 0x70 || code > 0x78) throw new MalformedAmqpError(`unknown section 0x${code.toString(16)} at byte ${pos}`);
    const end = skipValue(buf, valueStart);
    spans.push({ code, start: pos, end, valueStart });
    pos = end;
  }
  return spans;
}

const SYMBOLIC_SECTIONS: Record<string, number> = {
  'amqp:header:list': 0x70,
  'amqp:delivery-annotations:map': 0x71,
  'amqp:message-annotations:map': 0x72,
  'amqp:properties:list': 0x73,
  'amqp:application-properties:map': 0x74,
  'amqp:data:binary': 0x75,
  'amqp:amqp-sequence:list': 0x76,
  'amqp:amqp-value:*': 0x77,
  'amqp:footer:map': 0x78,
};

// ---------------------------------------------------------------------------------------------
// A small writer for the few types the emulator itself produces.

export type SimpleValue = string | number | boolean | null | Date | Uint8Array | { long: number } | { timestamp: number };

class ByteWriter {
  private buf: Buffer;
  length = 0;
  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }
  u32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(n, this.length);
    this.length += 4;
  }
  patchU32(at: number, n: number): void {
    this.buf.writeUInt32BE(n, at);
  }
  i64(n: number): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(Math.trunc(n)), this.length);
    this.length += 8;
  }
  f64(n: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(n, this.length);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  utf8(s: string, code8: number, code32: number): void {
    const n = Buffer.byteLength(s, 'utf8');
    if (n < 256) {
      this.ensure(2 + n);
      this.buf[this.length++] = code8;
      this.buf[this.length++] = n;
    } else {
      this.ensure(5 + n);
      this.buf[this.length++] = code32;
      this.buf.writeUInt32BE(n, this.length);
      this.length += 4;
    }
    this.buf.write(s, this.length, 'utf8');
    this.length += n;
  }
  string(s: string): void {
    this.utf8(s, 0xa1, 0xb1);
  }
  symbol(s: string): void {
    this.utf8(s, 0xa3, 0xb3);
  }
  binary(b: Uint8Array): void {
    if (b.length < 256) {
      this.byte(0xa0);
      this.byte(b.length);
    } else {
      this.byte(0xb0);
      this.u32(b.length);
    }
    this.bytes(b);
  }
  value(v: SimpleValue): void {
    if (v === null || v === undefined) return this.byte(0x40);
    if (typeof v === 'string') return this.string(v);
    if (typeof v === 'boolean') return this.byte(v ? 0x41 : 0x42);
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) {
        this.byte(0x81);
        return this.i64(v);
      }
      this.byte(0x82);
      return this.f64(v);
    }
    if (v instanceof Date) {
      this.byte(0x83);
      return this.i64(v.getTime());
    }
    if (v instanceof Uint8Array) return this.binary(v);
    if ('long' in v) {
      this.byte(0x81);
      return this.i64(v.long);
    }
    this.byte(0x83);
    this.i64(v.timestamp);
  }
  /** Starts a map32 section; returns the position to patch with endMap. */
  beginSection(code: number): number {
    this.byte(0x00);
    this.byte(0x53);
    this.byte(code);
    this.byte(0xd1);
    const at = this.length;
    this.u32(0);
    this.u32(0);
    return at;
  }
  endMap(at: number, entries: number): void {
    this.patchU32(at, this.length - at - 4);
    this.patchU32(at + 4, entries * 2);
  }
  toBuffer(): Buffer {
    // exact-size writers hand over their buffer; growable ones copy out what they used
    return this.length === this.buf.length ? this.buf : Buffer.from(this.buf.subarray(0, this.length));
  }
}

export interface EventFields {
  body: Uint8Array | string;
  properties?: Record<string, unknown>;
  partitionKey?: string;
  contentType?: string;
  messageId?: string;
}

/**
 * Encodes an event the way an SDK would: message-annotations (partition key), properties
 * (message-id, content-type), application-properties, one data section. Integers become AMQP long,
 * fractions double, strings str — the same typing the REST API documents for UserProperties.
 */
export function encodeEvent(event: EventFields): Buffer {
  return encodeInto(new ByteWriter(encodedSize(event)), event).toBuffer();
}

/**
 * Encodes many events into one allocation; event i spans chunk[starts[i], starts[i + 1]). A stored
 * log keeps one buffer per request instead of one per event, which keeps garbage collection cheap.
 */
export function encodeEvents(events: readonly EventFields[]): { chunk: Buffer; starts: number[] } {
  const sizes = events.map(encodedSize);
  let total = 0;
  for (const n of sizes) total += n;
  const w = new ByteWriter(total);
  const starts: number[] = new Array(events.length + 1);
  for (let i = 0; i < events.length; i++) {
    starts[i] = w.length;
    encodeInto(w, events[i]);
  }
  starts[events.length] = w.length;
  return { chunk: w.toBuffer(), starts };
}

function encodeInto(w: ByteWriter, event: EventFields): ByteWriter {
  if (event.partitionKey !== undefined) {
    const at = w.beginSection(SECTION.messageAnnotations);
    w.symbol('x-opt-partition-key');
    w.string(event.partitionKey);
    w.endMap(at, 1);
  }
  if (event.messageId !== undefined || event.contentType !== undefined) {
    // properties is a list: message-id, user-id, to, subject, reply-to, correlation-id, content-type
    w.byte(0x00);
    w.byte(0x53);
    w.byte(SECTION.properties);
    w.byte(0xd0);
    const at = w.length;
    w.u32(0);
    w.u32(7);
    if (event.messageId !== undefined) w.string(event.messageId);
    else w.byte(0x40);
    for (let i = 0; i < 5; i++) w.byte(0x40);
    if (event.contentType !== undefined) w.symbol(event.contentType);
    else w.byte(0x40);
    w.patchU32(at, w.length - at - 4);
  }
  const props = event.properties;
  if (props) {
    const keys = Object.keys(props);
    if (keys.length) {
      const at = w.beginSection(SECTION.applicationProperties);
      for (const k of keys) {
        w.string(k);
        w.value(props[k] as SimpleValue);
      }
      w.endMap(at, keys.length);
    }
  }
  w.byte(0x00);
  w.byte(0x53);
  w.byte(SECTION.data);
  if (typeof event.body === 'string') w.utf8(event.body, 0xa0, 0xb0);
  else w.binary(event.body);
  return w;
}

const utf8Size = (s: string, n = Buffer.byteLength(s, 'utf8')) => (n < 256 ? 2 : 5) + n;

function valueSize(v: SimpleValue): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return utf8Size(v);
  if (typeof v === 'number' || v instanceof Date) return 9;
  if (v instanceof Uint8Array) return (v.length < 256 ? 2 : 5) + v.length;
  return 9; // {long} / {timestamp}
}

/** The exact number of bytes encodeEvent writes (so it can allocate once). */
function encodedSize(event: EventFields): number {
  let n = 0;
  if (event.partitionKey !== undefined) n += 12 + utf8Size('x-opt-partition-key') + utf8Size(event.partitionKey);
  if (event.messageId !== undefined || event.contentType !== undefined) {
    n += 12 + 5 + (event.messageId !== undefined ? utf8Size(event.messageId) : 1) + (event.contentType !== undefined ? utf8Size(event.contentType) : 1);
  }
  const props = event.properties;
  if (props) {
    let entries = 0;
    for (const k in props) {
      n += utf8Size(k) + valueSize(props[k] as SimpleValue);
      entries++;
    }
    if (entries) n += 12;
  }
  const bodyLength = typeof event.body === 'string' ? Buffer.byteLength(event.body, 'utf8') : event.body.length;
  return n + 3 + (bodyLength < 256 ? 2 : 5) + bodyLength;
}

export interface ServiceAnnotations {
  sequenceNumber: number;
  offset: number;
  enqueuedTime: number;
  partitionKey?: string;
}

export interface RuntimeInfo {
  lastSequenceNumber: number;
  lastOffset: string;
  lastEnqueuedTime: number;
  retrievedAt: number;
}

const SERVICE_KEYS = new Set(['x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time', 'x-opt-partition-key']);

/**
 * The bytes a consumer receives: the stored event with the service's x-opt-* annotations merged into
 * its message-annotations (typed as the SDKs require: long, string, timestamp, string). The producer's
 * own annotations are copied byte for byte; delivery-annotations from the producer are dropped.
 */
export function withServiceAnnotations(stored: Buffer, meta: ServiceAnnotations, spans = splitSections(stored), runtime?: RuntimeInfo): Buffer {
  const w = new ByteWriter();
  const header = spans.find((s) => s.code === SECTION.header);
  if (header) w.bytes(stored.subarray(header.start, header.end));
  if (runtime) {
    // "track last enqueued event properties" (enable-receiver-runtime-metric): delivery-annotations
    const da = w.beginSection(SECTION.deliveryAnnotations);
    w.symbol('last_enqueued_sequence_number');
    w.value({ long: runtime.lastSequenceNumber });
    w.symbol('last_enqueued_offset');
    w.string(runtime.lastOffset);
    w.symbol('last_enqueued_time_utc');
    w.value({ timestamp: runtime.lastEnqueuedTime });
    w.symbol('runtime_info_retrieval_time_utc');
    w.value({ timestamp: runtime.retrievedAt });
    w.endMap(da, 4);
  }
  const at = w.beginSection(SECTION.messageAnnotations);
  let entries = 0;
  const oldMa = spans.find((s) => s.code === SECTION.messageAnnotations);
  if (oldMa) {
    for (const [keyStart, , valueEnd, key] of mapEntries(stored, oldMa.valueStart)) {
      if (SERVICE_KEYS.has(key)) continue;
      w.bytes(stored.subarray(keyStart, valueEnd));
      entries++;
    }
  }
  w.symbol('x-opt-sequence-number');
  w.value({ long: meta.sequenceNumber });
  w.symbol('x-opt-offset');
  w.string(String(meta.offset));
  w.symbol('x-opt-enqueued-time');
  w.value({ timestamp: meta.enqueuedTime });
  entries += 3;
  if (meta.partitionKey !== undefined) {
    w.symbol('x-opt-partition-key');
    w.string(meta.partitionKey);
    entries++;
  }
  w.endMap(at, entries);
  for (const s of spans) {
    if (s.code === SECTION.header || s.code === SECTION.messageAnnotations || s.code === SECTION.deliveryAnnotations) continue;
    w.bytes(stored.subarray(s.start, s.end));
  }
  return w.toBuffer();
}

/** Iterates a map's entries as [keyStart, valueStart, valueEnd, keyText] (keys decoded when str/sym). */
export function* mapEntries(buf: Buffer, pos: number): Generator<[number, number, number, string]> {
  const code = buf[pos];
  let count: number;
  let p: number;
  if (code === 0xc1) {
    need(buf, pos, 3);
    count = buf[pos + 2];
    p = pos + 3;
  } else if (code === 0xd1) {
    need(buf, pos, 9);
    count = buf.readUInt32BE(pos + 5);
    p = pos + 9;
  } else if (code === 0x40) {
    return;
  } else {
    throw new MalformedAmqpError(`expected a map at byte ${pos}`);
  }
  for (let i = 0; i + 1 < count; i += 2) {
    const keyStart = p;
    const valueStart = skipValue(buf, p);
    const valueEnd = skipValue(buf, valueStart);
    const kc = buf[keyStart];
    let key = '';
    if (kc === 0xa1 || kc === 0xa3) key = buf.toString('utf8', keyStart + 2, valueStart);
    else if (kc === 0xb1 || kc === 0xb3) key = buf.toString('utf8', keyStart + 5, valueStart);
    yield [keyStart, valueStart, valueEnd, key];
    p = valueEnd;
  }
}

/** Finds the partition key a producer put in a message's annotations, if any. */
export function readPartitionKey(buf: Buffer, spans = splitSections(buf)): string | undefined {
  const ma = spans.find((s) => s.code === SECTION.messageAnnotations);
  if (!ma) return undefined;
  for (const [, valueStart, , key] of mapEntries(buf, ma.valueStart)) {
    if (key !== 'x-opt-partition-key') continue;
    const c = buf[valueStart];
    if (c === 0xa1) return buf.toString('utf8', valueStart + 2, valueStart + 2 + buf[valueStart + 1]);
    if (c === 0xb1) return buf.toString('utf8', valueStart + 5, valueStart + 5 + buf.readUInt32BE(valueStart + 1));
    return undefined;
  }
  return undefined;
}

/**
 * The events of a batched transfer (message-format 0x80013700): the payload's data sections, each
 * holding one fully encoded event. Also returns the envelope itself for partition-key lookup.
 */
export function splitBatch(payload: Buffer): { events: Buffer[]; envelopeSpans: SectionSpan[] } {
  const spans = splitSections(payload);
  const events: Buffer[] = [];
  for (const s of spans) {
    if (s.code !== SECTION.data) continue;
    const c = payload[s.valueStart];
    if (c === 0xa0) events.push(payload.subarray(s.valueStart + 2, s.end));
    else if (c === 0xb0) events.push(payload.subarray(s.valueStart + 5, s.end));
    else throw new MalformedAmqpError('a batch data section must hold binary');
  }
  return { events, envelopeSpans: spans };
}
