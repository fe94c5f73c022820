// The REST fast path must produce exactly the bytes of the general JSON.parse path, and step aside
// for anything that is not the plain [{"Body": "…"}] shape.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanPlainBatch, type ScannedBatch } from '../../engine/services/event-hubs/rest/fast-batch.js';
import { encodeEvent } from '../../engine/services/event-hubs/model/event-bytes.js';

const hexes = (b: ScannedBatch | undefined) => b && Array.from({ length: b.count }, (_, i) => b.chunk.subarray(b.starts[i], b.starts[i + 1]).toString('hex'));
const general = (json: string) => (JSON.parse(json) as { Body: string }[]).map((i) => encodeEvent({ body: i.Body }).toString('hex'));

describe('plain batch scanner', () => {
  it('matches JSON.parse + encodeEvent byte for byte on arbitrary bodies and spacing', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 400 }), { maxLength: 20 }), fc.constantFrom('', ' ', '\n  ', '\t'), (bodies, ws) => {
        const json = `${ws}[${ws}${bodies.map((b) => `{${ws}"Body"${ws}:${ws}${JSON.stringify(b)}${ws}}`).join(`${ws},${ws}`)}${ws}]${ws}`;
        const fast = scanPlainBatch(Buffer.from(json));
        expect(hexes(fast)).toEqual(general(json));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes \\u escapes, surrogate pairs and lone surrogates like JSON.parse', () => {
    const json = '[{"Body":"\\u00e9\\ud83d\\ude00\\ud800x\\n\\"\\/"}]';
    expect(hexes(scanPlainBatch(Buffer.from(json)))).toEqual(general(json));
  });

  it('returns undefined for any other shape', () => {
    for (const json of ['{}', '[{"Body":1}]', '[{"Body":"a","UserProperties":{}}]', '[{"body":"a"}]', '[{"Body":"a"}', '[{"Body":"a"}] x', '[{"Body":"\\x"}]', '[{"Body":"a\tb"}]'])
      expect(scanPlainBatch(Buffer.from(json))).toBeUndefined();
    expect(hexes(scanPlainBatch(Buffer.from(' [ ] ')))).toEqual([]);
  });
});
