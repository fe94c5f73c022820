// Timestamps as they arrive in browsing data: the original generator's `2017-01-01T06:00:00+00:00`,
// Stream Analytics' `2017-01-01T06:00:00.0000000Z`, or a plain `2017-01-01 06:00:00` (taken as UTC,
// never as local time — Date.parse would read that one in the machine's time zone).
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch milliseconds, or NaN when the text is not such a timestamp. */
export function parseTimestamp(text: string): number {
  const m = ISO.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return NaN;
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    t -= sign * offsetMin * 60_000;
  }
  // Reject calendar overflow such as 2017-02-30 (Date.UTC would roll it into March).
  if (new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDate() !== +d) return NaN;
  return t;
}

/** parseTimestamp with a small memo: browsing data repeats the same few dozen strings. */
export class TimestampCache {
  private readonly cache = new Map<string, number>();
  parse(text: string): number {
    let t = this.cache.get(text);
    if (t === undefined) {
      t = parseTimestamp(text);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(text, t);
    }
    return t;
  }
}
