import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../engine/pipeline/log-histogram.js';

/** The lower-rank quantile of sorted samples, as the histogram defines it. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

describe('LogHistogram', () => {
  it('every quantile is within the relative accuracy of the exact sample quantile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 0.01, 0.5, 0.9, 0.95, 0.99, 1),
        (values, q) => {
          const h = new LogHistogram({ relativeAccuracy: 0.01 });
          for (const v of values) h.add(v);
          const exact = exactQuantile([...values].sort((a, b) => a - b), q);
          expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact * 0.01 + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('memory stays bounded by the value range, not the sample count', () => {
    const h = new LogHistogram();
    for (let i = 0; i < 1_000_000; i++) h.add(1 + ((i * 7919) % 3_600_000), 1);
    expect(h.count).toBe(1_000_000);
    // ln(3.6e6) / ln(1.01/0.99) ≈ 757 buckets at most.
    expect(h.bucketCount).toBeLessThan(800);
    const p50 = h.quantile(0.5);
    expect(Math.abs(p50 - 1_800_000) / 1_800_000).toBeLessThan(0.02);
  });

  it('weighted adds equal repeated adds; tiny values count as zero; merge combines', () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    a.add(5000, 3);
    for (let i = 0; i < 3; i++) b.add(5000);
    expect(a.snapshot()).toEqual(b.snapshot());
    a.add(0.2, 7);
    expect(a.quantile(0)).toBe(0);
    expect(a.count).toBe(10);
    const c = new LogHistogram();
    c.add(100_000, 10);
    a.merge(c);
    expect(a.count).toBe(20);
    expect(a.snapshot().max).toBe(100_000);
    expect(Math.abs(a.quantile(0.99) - 100_000) / 100_000).toBeLessThanOrEqual(0.01);
  });

  it('is NaN when empty and rejects bad input', () => {
    const h = new LogHistogram();
    expect(h.quantile(0.5)).toBeNaN();
    expect(() => h.add(-1)).toThrow(RangeError);
    expect(() => h.add(Number.NaN)).toThrow(RangeError);
    expect(() => new LogHistogram({ relativeAccuracy: 0 })).toThrow(RangeError);
  });
});
