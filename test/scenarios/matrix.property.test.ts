import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { expandMatrix, applyOverrides, withPath } from '../../engine/scenarios/index.js';

describe('matrix expansion properties', () => {
  it('yields the cartesian product minus exclusions plus inclusions, with unique ids', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 }),
        (axisValues, includes) => {
          const axes: [string, unknown[]][] = axisValues.map((values, i) => [`group${i}.key`, values]);
          const exclude = [{ [axes[0][0]]: axes[0][1][0] }];
          const include = Array.from({ length: includes }, (_, i) => ({ 'extra.key': i }));
          const combos = expandMatrix({ axes, include, exclude });
          const product = axisValues.reduce((n, v) => n * v.length, 1);
          const excluded = product / axisValues[0].length;
          expect(combos).toHaveLength(product - excluded + includes);
          expect(new Set(combos.map((c) => c.id)).size).toBe(combos.length);
          expect(combos.some((c) => c.origin.kind === 'axes' && c.overrides[axes[0][0]] === axes[0][1][0])).toBe(false);
        },
      ),
    );
  });

  it('applying overrides sets exactly the dotted keys and leaves the base untouched', () => {
    const base = { a: { b: 1, c: 2 }, d: 3 };
    const out = applyOverrides(base, { 'a.b': 10, 'e.f': 5 });
    expect(out).toEqual({ a: { b: 10, c: 2 }, d: 3, e: { f: 5 } });
    expect(base).toEqual({ a: { b: 1, c: 2 }, d: 3 });
    expect(withPath(base, 'a', { c: 7 })).toEqual({ a: { b: 1, c: 7 }, d: 3 });
  });
});
