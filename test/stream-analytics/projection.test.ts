// Output records keep the SELECT's column names and order whether the projection is compiled into one
// object literal (plain identifiers) or built column by column (any other name).
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const events = [{ at: 1, body: { a: 1, b: 'x' } }];

describe('projection records', () => {
  it('plain names: values and column order as written (CL 1.2 keeps the case)', () => {
    const { out } = run('SELECT b AS Zeta, a AS alpha, a + 1 AS Mid FROM input', events, { compatibilityLevel: '1.2' });
    expect(out.output).toEqual([{ Zeta: 'x', alpha: 1, Mid: 2 }]);
    expect(Object.keys(out.output[0])).toEqual(['Zeta', 'alpha', 'Mid']);
  });

  it('names that are not plain identifiers are ordinary columns in the same order', () => {
    const { out } = run('SELECT a AS [my col], b AS [x-y], a AS [1st] FROM input', events, { compatibilityLevel: '1.2' });
    expect(out.output).toEqual([{ 'my col': 1, 'x-y': 'x', '1st': 1 }]);
    expect(Object.keys(out.output[0])).toEqual(['my col', 'x-y', '1st']);
  });

  it('a column named __proto__ is a column like any other, from an alias or from SELECT *', () => {
    const own = (o: Record<string, unknown>) => Object.getOwnPropertyDescriptor(o, '__proto__')?.value;
    const aliased = run('SELECT a AS [__proto__], b FROM input', events, { compatibilityLevel: '1.2' }).out.output[0];
    expect(Object.keys(aliased)).toEqual(['__proto__', 'b']);
    expect(own(aliased)).toBe(1);
    expect(Object.getPrototypeOf(aliased)).toBe(Object.prototype);
    const star = run('SELECT * FROM input', [{ at: 1, body: '{"__proto__": 5, "b": "x"}' }], { compatibilityLevel: '1.2' }).out.output[0];
    expect(Object.keys(star).slice(0, 2)).toEqual(['__proto__', 'b']);
    expect(own(star)).toBe(5);
  });
});
