// The partition log kept as columns: against a plain list of events (the obvious model), through
// appends of spans and whole buffers, retention drops that compact the columns, and every way of
// positioning a reader — sequence numbers, offsets and enqueued times, inclusive or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionLog, type LogEntry, type LogPosition } from '../../engine/services/event-hubs/model/partition-log.js';

interface ModelEvent {
  sequenceNumber: number;
  offset: number;
  enqueuedTime: number;
  partitionKey: string | undefined;
  bytes: string;
}

const view = (e: LogEntry): ModelEvent => ({ sequenceNumber: e.sequenceNumber, offset: e.offset, enqueuedTime: e.enqueuedTime, partitionKey: e.partitionKey, bytes: e.bytes.toString('hex') });

type Step = { kind: 'append'; sizes: number[]; dt: number; spans: boolean; key?: string } | { kind: 'drop'; keepLast: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 1600 }), dt: fc.integer({ min: 0, max: 5 }), spans: fc.boolean(), key: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), keepLast: fc.integer({ min: 0, max: 900 }) }) },
);

describe('PartitionLog (columns)', () => {
  it('reads, resolves and retains exactly as a plain list of events does', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const log = new PartitionLog('h', '0');
        let model: ModelEvent[] = [];
        let seq = 0;
        let offset = 0;
        let now = 1_000;
        let fill = 0;
        for (const s of steps) {
          if (s.kind === 'append') {
            now += s.dt;
            const bufs = s.sizes.map((n) => Buffer.alloc(n, fill++ % 251));
            const chunk = Buffer.concat(bufs);
            let at = 0;
            const inputs = bufs.map((b) => {
              const input = s.spans ? { chunk, start: at, end: at + b.length, partitionKey: s.key } : { bytes: b, partitionKey: s.key };
              at += b.length;
              return input;
            });
            const first = log.append(inputs, now);
            expect(first).toBe(seq);
            const added = log.readFrom(first, inputs.length);
            const expected = bufs.map((b) => {
              const e = { sequenceNumber: seq++, offset, enqueuedTime: now, partitionKey: s.key, bytes: b.toString('hex') };
              offset += b.length;
              return e;
            });
            expect(added.map(view)).toEqual(expected);
            model.push(...expected);
          } else {
            // Drop everything but the last `keepLast` instants' worth (by enqueued time).
            const cutoff = model.length > s.keepLast ? model[model.length - s.keepLast]?.enqueuedTime ?? now : -Infinity;
            const before = model.length;
            model = model.filter((e) => e.enqueuedTime >= cutoff);
            expect(log.dropBefore(cutoff)).toBe(before - model.length);
          }
          expect(log.size).toBe(model.length);
          expect(log.beginSequenceNumber).toBe(model.length ? model[0].sequenceNumber : seq);
          expect(log.endSequenceNumber).toBe(seq);
          expect(log.last ? view(log.last) : undefined).toEqual(model.at(-1));
          expect(log.readFrom(0, model.length + 5).map(view)).toEqual(model);
          if (model.length > 2) {
            const mid = model[Math.floor(model.length / 2)];
            expect(log.readFrom(mid.sequenceNumber, 3).map(view)).toEqual(model.slice(Math.floor(model.length / 2), Math.floor(model.length / 2) + 3));
            const firstAt = (pred: (e: ModelEvent) => boolean) => model.find(pred)?.sequenceNumber ?? seq;
            const positions: [LogPosition, number][] = [
              [{ kind: 'earliest' }, model[0].sequenceNumber],
              [{ kind: 'latest' }, seq],
              [{ kind: 'offset', offset: mid.offset, inclusive: true }, firstAt((e) => e.offset >= mid.offset)],
              [{ kind: 'offset', offset: mid.offset, inclusive: false }, firstAt((e) => e.offset > mid.offset)],
              [{ kind: 'offset', offset: mid.offset + 1, inclusive: true }, firstAt((e) => e.offset >= mid.offset + 1)],
              [{ kind: 'enqueuedTime', at: mid.enqueuedTime, inclusive: true }, firstAt((e) => e.enqueuedTime >= mid.enqueuedTime)],
              [{ kind: 'enqueuedTime', at: mid.enqueuedTime, inclusive: false }, firstAt((e) => e.enqueuedTime > mid.enqueuedTime)],
              [{ kind: 'sequence', sequenceNumber: 0, inclusive: true }, model[0].sequenceNumber],
            ];
            for (const [position, expected] of positions) expect(log.resolve(position)).toBe(expected);
          }
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('compacts its columns once more than half are dropped, and keeps numbering, offsets and times', () => {
    const log = new PartitionLog('h', '0');
    for (let batch = 0; batch < 3; batch++) log.append(Array.from({ length: 1000 }, (_, i) => ({ bytes: Buffer.from([batch, i & 0xff, i >> 8]) })), 10 * (batch + 1));
    expect(log.dropBefore(30)).toBe(2000); // 2,000 of 3,000 dropped: the columns are compacted
    expect(log.size).toBe(1000);
    expect(log.beginSequenceNumber).toBe(2000);
    const first = log.readFrom(0, 2)[0];
    expect([first.sequenceNumber, first.offset, first.enqueuedTime, [...first.bytes]]).toEqual([2000, 6000, 30, [2, 0, 0]]);
    expect(log.resolve({ kind: 'offset', offset: 6003, inclusive: true })).toBe(2001);
    expect(log.resolve({ kind: 'enqueuedTime', at: 20, inclusive: false })).toBe(2000);
    log.append([{ bytes: Buffer.from([9]) }], 40);
    expect(view(log.last!)).toEqual({ sequenceNumber: 3000, offset: 9000, enqueuedTime: 40, partitionKey: undefined, bytes: '09' });
    expect(log.readFrom(2999, 5).map((e) => e.sequenceNumber)).toEqual([2999, 3000]);
  });
});
