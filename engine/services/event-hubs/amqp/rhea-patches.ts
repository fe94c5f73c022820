// Two process-wide adjustments to rhea, both legal AMQP and harmless to other rhea users:
// 1. Keep the raw bytes of every decoded plain (format 0) message, so a single event sent without
//    the batch format is stored byte for byte like batched ones (rhea decodes format 0 itself).
// 2. Encode every performative with all its fields: Debian's azure-eventhub 5.11 (pyamqp) reads
//    fields by position and fails on the trailing ones rhea leaves out (spec Appendix C). Setting
//    the last field makes rhea write the ones before it too (as null).
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
  const frames = createRequire(import.meta.url)('rhea/lib/frames.js') as Record<string, (f: Record<string, unknown>) => unknown>;
  const lastField: Record<string, [string, unknown]> = {
    open: ['properties', {}],
    begin: ['properties', {}],
    attach: ['properties', {}],
    flow: ['properties', {}],
    transfer: ['batchable', false],
    disposition: ['batchable', false],
    detach: ['error', null],
    end: ['error', null],
    close: ['error', null],
  };
  for (const [name, [field, value]] of Object.entries(lastField)) {
    const create = frames[name];
    frames[name] = (fields: Record<string, unknown> = {}) => create({ [field]: value, ...fields });
  }
}

/** The bytes a plain message was decoded from (see patch 1). */
export function rawBytesOf(message: unknown): Buffer | undefined {
  return message && typeof message === 'object' ? ((message as Record<symbol, Buffer>)[RAW] ?? undefined) : undefined;
}
