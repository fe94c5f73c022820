// Value conversions with fast paths: each must give exactly what the general rule gives.
import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/core/random.js';
import { DateTime, bigintOf, cl10AutoConvert, floatToString, parseDateTime } from '../../engine/services/stream-analytics/runtime/values.js';

/** The rule: .NET's shortest round-trip "R" format, which is JS's shortest form with an upper-case exponent. */
function shortestRoundTrip(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n).replace('e', 'E');
}

describe('floatToString', () => {
  it('formats tenths, hundredths, sums with rounding error, huge and tiny values as the shortest round trip', () => {
    const rnd = new Random(3);
    const values = [0.1 + 0.2, -0.5, 0.5, -0, 0, 1e21, 1e20 / 10 + 0.5, 123456789012345.6, 1234567890123456.7, 0.05, -0.05, 1e-7, 5e-324, NaN, -Infinity];
    for (let i = 0; i < 5_000; i++) {
      const k = rnd.int(-10_000_000, 10_000_000);
      values.push(k / 10, k / 100, (k / 10) * 3, k / 10 + 0.1, rnd.next() * 1000, (k * 1e9) / 10);
    }
    for (const v of values) expect(floatToString(v)).toBe(shortestRoundTrip(v));
    expect(floatToString(703.4)).toBe('703.4');
    expect(floatToString(-12.5)).toBe('-12.5');
    expect(floatToString(1e21)).toBe('1E+21');
  });
});

describe('bigintOf', () => {
  it('gives the bigint of an integer, shared for small ones and exact for large or negative ones', () => {
    expect(bigintOf(0)).toBe(0n);
    expect(bigintOf(65535)).toBe(65535n);
    expect(bigintOf(65536)).toBe(65536n);
    expect(bigintOf(-7)).toBe(-7n);
    expect(bigintOf(2 ** 53 - 1)).toBe(9007199254740991n);
    expect(bigintOf(42)).toBe(bigintOf(42));
  });
});

describe('cl10AutoConvert', () => {
  it('converts yyyy-MM-dd HH:mm:ss strings to the instant parseDateTime gives (cached per string), and leaves non-dates as strings', () => {
    const rnd = new Random(5);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const texts = ['2017-02-29 06:00:00', '2016-02-29 06:00:00', '1900-02-29 00:00:00', '2000-02-29 23:59:59', '0099-01-01 00:00:00',
      '2017-13-01 00:00:00', '2017-04-31 00:00:00', '2017-01-01 24:00:00', '2017-01-01 00:60:00', '2017-01-01 00:00:60', '2017-01-01x00:00:00',
      '2017-01-01T06:00:00', '2017-1-01 06:00:00Z', '2017-01-0a 00:00:00', '0000-01-01 00:00:00', '9999-12-31 23:59:59'];
    for (let i = 0; i < 5000; i++)
      texts.push(`${pad(rnd.int(100, 9999), 4)}-${pad(rnd.int(0, 13))}-${pad(rnd.int(0, 32))}${rnd.int(0, 1) ? 'T' : ' '}${pad(rnd.int(0, 24))}:${pad(rnd.int(0, 60))}:${pad(rnd.int(0, 60))}`);
    for (const t of texts) {
      const want = parseDateTime(t);
      const got = cl10AutoConvert(t);
      if (want === null) expect(got).toBe(t);
      else expect(got instanceof DateTime ? got.us : got).toBe(want.us);
    }
  });
});
