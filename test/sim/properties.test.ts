// Property tests: for any schedule the kernel fires in (time, priority, seq) order, time never goes
// back, and cancelled entries never fire.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { SimKernel } from '../../engine/sim/index.js';

interface Op {
  delay: number;
  priority: number;
  cancel: boolean;
  /** Entries this one schedules when it fires (relative delays). */
  children: { delay: number; priority: number }[];
}

const opArb: fc.Arbitrary<Op> = fc.record({
  delay: fc.integer({ min: 0, max: 50 }),
  priority: fc.integer({ min: 0, max: 2 }),
  cancel: fc.boolean(),
  children: fc.array(fc.record({ delay: fc.integer({ min: 0, max: 20 }), priority: fc.integer({ min: 0, max: 2 }) }), { maxLength: 3 }),
});

describe('SimKernel properties', () => {
  it('fires every live entry once, in (time, priority, seq) order, with monotonic time', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const k = new SimKernel({ start: 0 });
        const fired: { time: number; priority: number; seq: number }[] = [];
        const expectedLive = new Set<number>();
        let seq = 0;
        const add = (delay: number, priority: number, children: Op['children'], cancel: boolean) => {
          const mySeq = seq++;
          const handle = k.scheduleIn(
            delay,
            () => {
              fired.push({ time: k.now, priority, seq: mySeq });
              for (const c of children) add(c.delay, c.priority, [], false);
            },
            { priority, settle: false },
          );
          if (cancel) handle.cancel();
          else expectedLive.add(mySeq);
        };
        for (const op of ops) add(op.delay, op.priority, op.children, op.cancel);
        while (k.step());
        // every live entry fired exactly once, cancelled ones never
        expect(new Set(fired.map((f) => f.seq))).toEqual(expectedLive);
        expect(fired).toHaveLength(expectedLive.size);
        for (let i = 1; i < fired.length; i++) {
          const a = fired[i - 1];
          const b = fired[i];
          expect(b.time).toBeGreaterThanOrEqual(a.time);
          // Within one instant, an entry scheduled earlier (smaller seq) that fires later must have
          // lost on priority; otherwise it would have fired first.
          if (a.time === b.time && b.seq < a.seq) expect(b.priority).toBeGreaterThan(a.priority);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with all entries scheduled up front, the firing order is exactly the sorted order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 2 })), { maxLength: 200 }), (entries) => {
        const k = new SimKernel({ start: 0 });
        const fired: number[] = [];
        entries.forEach(([t, p], i) => k.schedule(t, () => fired.push(i), { priority: p, settle: false }));
        while (k.step());
        const expected = entries
          .map(([t, p], i) => ({ t, p, i }))
          .sort((a, b) => a.t - b.t || a.p - b.p || a.i - b.i)
          .map((e) => e.i);
        expect(fired).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
