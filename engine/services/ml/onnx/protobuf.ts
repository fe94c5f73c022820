// The few pieces of the protobuf wire format an ONNX file needs: varints, length-delimited fields
// (strings, bytes, nested messages, packed numbers) and 32-bit floats — written and read here so the
// project needs no protobuf library. Reference: https://protobuf.dev/programming-guides/encoding/

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const utf8 = new TextEncoder();

/** Builds one message. Nested messages are built by their own writer and embedded with `message`. */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b;
  }

  /** A varint; negative int64 values take ten bytes (two's complement), as protobuf requires. */
  varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    if (value < 0) {
      let v = BigInt.asUintN(64, BigInt(value));
      while (v >= 0x80n) {
        this.byte(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
      }
      this.byte(Number(v));
      return;
    }
    while (value >= 0x80) {
      this.byte((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.byte(value);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, WIRE_I32);
    this.ensure(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(data.length);
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  string(field: number, text: string): void {
    this.bytes(field, utf8.encode(text));
  }

  message(field: number, sub: ProtoWriter): void {
    this.bytes(field, sub.finish());
  }

  /** Repeated int64/int32 as one packed field. */
  packedInts(field: number, values: ArrayLike<number>): void {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]);
    this.bytes(field, inner.finish());
  }

  /** Repeated float as one packed field. */
  packedFloats(field: number, values: ArrayLike<number>): void {
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    this.bytes(field, data);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class ProtoFormatError extends Error {}

export interface ProtoField {
  field: number;
  wire: number;
  /** The value of a varint field (int64 beyond 2^53 loses precision — ONNX metadata never needs it). */
  int?: number;
  /** The payload of a length-delimited field. */
  data?: Uint8Array;
}

/** Splits one message into its fields, checking every length against the buffer. */
export function readFields(data: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const readVarint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= data.length) throw new ProtoFormatError('truncated varint');
      const b = data[pos++];
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return result;
    }
    throw new ProtoFormatError('varint longer than 10 bytes');
  };
  while (pos < data.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new ProtoFormatError('field number 0');
    switch (wire) {
      case WIRE_VARINT:
        fields.push({ field, wire, int: readVarint() });
        break;
      case WIRE_I64:
        if (pos + 8 > data.length) throw new ProtoFormatError('truncated 64-bit field');
        fields.push({ field, wire, data: data.subarray(pos, pos + 8) });
        pos += 8;
        break;
      case WIRE_LEN: {
        const length = readVarint();
        if (pos + length > data.length) throw new ProtoFormatError(`field ${field} runs past the end of its message`);
        fields.push({ field, wire, data: data.subarray(pos, pos + length) });
        pos += length;
        break;
      }
      case WIRE_I32:
        if (pos + 4 > data.length) throw new ProtoFormatError('truncated 32-bit field');
        fields.push({ field, wire, data: data.subarray(pos, pos + 4) });
        pos += 4;
        break;
      default:
        throw new ProtoFormatError(`unknown wire type ${wire}`);
    }
  }
  return fields;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeString(data: Uint8Array | undefined): string {
  if (!data) return '';
  try {
    return utf8Decoder.decode(data);
  } catch {
    throw new ProtoFormatError('a string field is not valid UTF-8');
  }
}
