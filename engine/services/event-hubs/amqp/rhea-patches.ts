// Two process-wide adjustments to rhea, both legal AMQP and harmless to other rhea users:
// 1. Keep the raw bytes of every decoded plain (format 0) message, so a single event sent without
//    the batch format is stored byte for byte like batched ones (rhea decodes format 0 itself).
// 2. Encode transfer frames with all 11 fields: Debian's azure-eventhub 5.11 (pyamqp) reads
//    performative fields by position and fails on the trailing fields rhea leaves out (spec App. C).
import { createRequire } from 'node:module';
import rhea from 'rhea';

const RAW = Symbol.for('c360.eventhubs.rawMessageBytes');
let applied = false;

export function applyRheaPatches(): void {
  if (applied) return;
  applied = true;
  const message = rhea.message as unknown as { decode: (b: Buffer) => object };
  const decode = message.decode;
  message.decode = (buffer: Buffer) => {
    const m = decode(buffer);
    Object.defineProperty(m, RAW, { value: buffer, enumerable: false });
    return m;
  };
  const frames = createRequire(import.meta.url)('rhea/lib/frames.js') as { transfer: (f: Record<string, unknown>) => unknown };
  const transfer = frames.transfer;
  frames.transfer = (fields: Record<string, unknown>) => transfer({ batchable: false, ...fields });
}

/** The bytes a plain message was decoded from (see patch 1). */
export function rawBytesOf(message: unknown): Buffer | undefined {
  return message && typeof message === 'object' ? ((message as Record<symbol, Buffer>)[RAW] ?? undefined) : undefined;
}
