// Hashing and equality of GROUP BY key values, so groups are found without building a string key per
// event: a numeric hash of the values picks a slot (flat-groups.ts), and values are compared with the
// grouping equality (NULLs equal; bigint 5 = float 5.0; datetimes by instant; records by JSON).
import { DateTime, keyOf, type Value } from './values.js';

const TWO32 = 4294967296;

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x01000193);
  return h ^ (h >>> 15);
}

function hashNumber(h: number, n: number): number {
  // Small integers (ids, partition numbers): the high word is the sign. Same result as the general case.
  if ((n | 0) === n) return mix(mix(h, n), n < 0 ? -1 : 0);
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return mix(mix(h, n | 0), Math.floor(n / TWO32) | 0);
  return hashString(h, String(n));
}

function hashString(h: number, s: string): number {
  h = mix(h, s.length);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

export function hashValue(h: number, v: Value): number {
  if (v === null || v === undefined) return mix(h, 0x9e3779b9);
  switch (typeof v) {
    case 'number':
      return hashNumber(h, Object.is(v, -0) ? 0 : v);
    case 'bigint': {
      const n = Number(v);
      return Number.isSafeInteger(n) ? hashNumber(h, n) : hashString(h, v.toString());
    }
    case 'string':
      return hashString(mix(h, 7), v);
    case 'boolean':
      return mix(h, v ? 0x51ed27 : 0x2f1b3c);
    default:
      if (v instanceof DateTime) return hashNumber(mix(h, 11), v.us);
      return hashString(mix(h, 13), keyOf(v));
  }
}

/** Grouping equality: consistent with keyOf (the string form used elsewhere). */
export function sameKey(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) {
    if (ta === 'bigint' && tb === 'bigint') return a === b;
    return keyOf(a) === keyOf(b);
  }
  if (a instanceof DateTime && b instanceof DateTime) return a.us === b.us;
  if (ta === 'object' && tb === 'object' && !(a instanceof DateTime) && !(b instanceof DateTime)) return keyOf(a) === keyOf(b);
  return false;
}

/** The hash of a row's GROUP BY key values: equal keys (by sameKey) hash alike. A small non-negative integer. */
export function hashKeys(keys: Value[], n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    // The usual keys inline: small integers, datetimes (same results as hashValue).
    if (typeof v === 'number' && (v | 0) === v) h = mix(mix(h, v), v < 0 ? -1 : 0);
    else if (v instanceof DateTime) h = mix(mix(mix(h, 11), v.us | 0), Math.floor(v.us / TWO32) | 0);
    else h = hashValue(h, v);
  }
  return h & 0x3fffffff;
}
