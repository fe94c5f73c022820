// Values of the Stream Analytics type system, mapped onto fast JS representations:
//   NULL → null, bigint → JS bigint, float → number, nvarchar(max) → string, bit → boolean,
//   datetime → DateTime (integer microseconds since the Unix epoch), record → plain object, array → JS array.
// Types belong to values, not columns ("it is records that have a type and not columns").
// Datetime precision: ASA keeps 100 ns ticks; a JS number holds microseconds exactly until year 2255,
// so the 7th fractional digit is always 0 here (documented in FIDELITY.md).

export class DateTime {
  constructor(readonly us: number) {}
  toString(): string {
    return formatDateTime(this.us);
  }
}

export type Value = null | bigint | number | string | boolean | DateTime | Value[] | { [key: string]: unknown };

export class CastError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CastError';
  }
}

/** Errors raised while evaluating a query (CAST failure, division by zero, …): counted as RuntimeErrors. */
export class QueryRuntimeError extends Error {
  constructor(
    message: string,
    readonly kind: 'CastFailure' | 'ArithmeticError' | 'TypeMismatch' | 'InvalidArgument',
  ) {
    super(message);
    this.name = 'QueryRuntimeError';
  }
}

export const US_PER_MS = 1000;
export const US_PER_SECOND = 1_000_000;
const DAY_US = 86_400_000_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Recently formatted datetimes. Output rows repeat the same few timestamps (a window end, an event's
 * day), so every CSV row formatting its datetime through Date and padStart was pure waste. Bounded:
 * cleared when full.
 */
const formattedDateTimes = new Map<number, string>();
const FORMATTED_DATETIMES_MAX = 4096;

/** `yyyy-MM-ddTHH:mm:ss.fffffffZ` (DESIGN §3; the ASA local-run output format). */
export function formatDateTime(us: number): string {
  let text = formattedDateTimes.get(us);
  if (text === undefined) {
    if (formattedDateTimes.size >= FORMATTED_DATETIMES_MAX) formattedDateTimes.clear();
    text = formatDateTimeUncached(us);
    formattedDateTimes.set(us, text);
  }
  return text;
}

function formatDateTimeUncached(us: number): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  const fracUs = us - Math.floor(us / US_PER_SECOND) * US_PER_SECOND;
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(fracUs, 6)}0Z`
  );
}

// ISO-8601-like shapes: date, optional time (T or space), optional fraction, optional zone.
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO-8601 date/time string (UTC when no zone is given). Returns null when it is not one. */
export function parseDateTime(text: string): DateTime | null {
  const m = DATETIME_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h ? Number(h) : 0;
  const minute = mi ? Number(mi) : 0;
  const second = s ? Number(s) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) {
    const dt = new Date(ms);
    dt.setUTCFullYear(year);
    ms = dt.getTime();
  }
  if (new Date(ms).getUTCDate() !== day) return null; // e.g. 2017-02-30
  let us = ms * 1000;
  if (frac) us += Math.floor(Number(frac.padEnd(7, '0')) / 10);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    us -= sign * offMin * 60 * US_PER_SECOND;
  }
  return new DateTime(us);
}

/** Only strings that carry a time-of-day look like datetimes for the CL 1.0 ingress conversion. */
const CL10_DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const autoConvertCache = new Map<string, DateTime | null>();

/** CL 1.0: JSON strings with date/time information become datetime at ingress (spec §2.3; shapes UNVERIFIED). */
export function cl10AutoConvert(text: string): string | DateTime {
  let dt = autoConvertCache.get(text);
  if (dt === undefined) {
    if (text.length < 16 || text.length > 40 || !CL10_DATETIME_RE.test(text)) return text;
    dt = parseDateTime(text);
    if (autoConvertCache.size > 100_000) autoConvertCache.clear();
    autoConvertCache.set(text, dt);
  }
  return dt ?? text;
}

/**
 * Small non-negative integers as bigint, shared: JSON integers (ids, counts, categories) become bigint at
 * ingress and again on output, and BigInt(n) allocates every time. bigint values are immutable and compared
 * by value, so sharing them is invisible to the query.
 */
const SMALL_BIGINT_LIMIT = 65536;
let smallBigints: (bigint | undefined)[] | null = null;

export function bigintOf(n: number): bigint {
  if (n >= 0 && n < SMALL_BIGINT_LIMIT && (n | 0) === n) {
    // Allocated on first use (512 KiB of slots): `new Array(n)` keeps fast holey elements at this size.
    const cache = (smallBigints ??= new Array<bigint | undefined>(SMALL_BIGINT_LIMIT));
    return (cache[n] ??= BigInt(n));
  }
  return BigInt(n);
}

export function typeName(v: Value): string | null {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return 'bigint';
    case 'number':
      return 'float';
    case 'string':
      return 'nvarchar(max)';
    case 'boolean':
      return 'bit';
    default:
      if (v instanceof DateTime) return 'datetime';
      if (Array.isArray(v)) return 'array';
      return 'record';
  }
}

const FLOAT_TEXT_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INT_TEXT_RE = /^\s*[+-]?\d+\s*$/;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

function checkBigint(v: bigint): bigint {
  if (v < BIGINT_MIN || v > BIGINT_MAX) throw new CastError(`value ${v} is out of the bigint range`);
  return v;
}

/** Float → string as .NET's shortest round-trip ("R") formatting, en-US. */
export function floatToString(n: number): string {
  // Sums of tenths (the customer360 category seconds: 703.4) are most CSV output, and V8's shortest
  // round-trip conversion costs ~10× this: if n is the double nearest to m/10 and not an integer, its
  // shortest form is exactly the digits of m with one decimal (an integer would be the only shorter one).
  const m = Math.round(n * 10);
  if (m / 10 === n && m % 10 !== 0 && m > -1e15 && m < 1e15) {
    const a = m < 0 ? -m : m;
    return `${m < 0 ? '-' : ''}${(a - (a % 10)) / 10}.${a % 10}`;
  }
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  const s = String(n);
  // JS writes 1e+21 where .NET writes 1E+21
  return s.includes('e') ? s.replace('e', 'E') : s;
}

function describe(v: Value): string {
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  if (v instanceof DateTime) return formatDateTime(v.us);
  return String(v);
}

/** CAST semantics (spec §2.3/§2.6). Throws CastError on failure; the caller decides (CAST fails, TRY_CAST → NULL). */
export function castValue(v: Value, type: string): Value {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') {
        if (FLOAT_TEXT_RE.test(v)) return Number(v);
        const low = v.trim().toLowerCase();
        if (low === 'nan') return NaN;
        if (low === 'infinity' || low === '+infinity') return Infinity;
        if (low === '-infinity') return -Infinity;
      }
      break;
    case 'bigint':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) break;
        return checkBigint(BigInt(Math.trunc(v)));
      }
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (typeof v === 'string' && INT_TEXT_RE.test(v)) return checkBigint(BigInt(v.trim()));
      break;
    case 'nvarchar(max)':
      if (typeof v === 'string') return v;
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number') return floatToString(v);
      if (typeof v === 'boolean') return v ? 'True' : 'False';
      if (v instanceof DateTime) return formatDateTime(v.us);
      break;
    case 'datetime':
      if (v instanceof DateTime) return v;
      if (typeof v === 'string') {
        const dt = parseDateTime(v);
        if (dt) return dt;
      }
      break;
    case 'bit':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return v !== 0n;
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'string') {
        const low = v.trim().toLowerCase();
        if (low === 'true' || low === '1') return true;
        if (low === 'false' || low === '0') return false;
      }
      break;
    case 'record':
      if (typeof v === 'object' && !(v instanceof DateTime) && !Array.isArray(v)) return v;
      break;
    case 'array':
      if (Array.isArray(v)) return v;
      break;
  }
  throw new CastError(`cannot convert ${typeName(v)} value ${describe(v)} to ${type}`);
}

/** Converts a value to datetime for date functions: datetime or an ISO string (implicit conversion). */
export function asDateTime(v: Value, what: string): DateTime | null {
  if (v === null || v === undefined) return null;
  if (v instanceof DateTime) return v;
  if (typeof v === 'string') {
    const dt = parseDateTime(v);
    if (dt) return dt;
  }
  throw new QueryRuntimeError(`${what}: expected a datetime, got ${typeName(v)} ${describe(v)}`, 'TypeMismatch');
}

/**
 * Three-way comparison; null when either side is NULL or the types cannot be compared
 * (then every comparison operator yields UNKNOWN, i.e. false in WHERE — spec §2.4).
 */
export function compareValues(a: Value, b: Value): number | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' && tb === 'number') return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) {
    // bigint vs float is allowed ("works correctly except very large bigint")
    const x = ta === 'bigint' ? Number(a) : (a as number);
    const y = tb === 'bigint' ? Number(b) : (b as number);
    if (ta === 'bigint' && tb === 'bigint') return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === 'string' && tb === 'string') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (a instanceof DateTime || b instanceof DateTime) {
    const x = a instanceof DateTime ? a : typeof a === 'string' ? parseDateTime(a) : null;
    const y = b instanceof DateTime ? b : typeof b === 'string' ? parseDateTime(b) : null;
    if (!x || !y) return null;
    return x.us < y.us ? -1 : x.us > y.us ? 1 : 0;
  }
  if (ta === 'boolean' && tb === 'boolean') return Number(a) - Number(b);
  if (ta === 'boolean' && (tb === 'bigint' || tb === 'number')) return compareValues(a ? 1 : 0, b);
  if (tb === 'boolean' && (ta === 'bigint' || ta === 'number')) return compareValues(a, b ? 1 : 0);
  return null;
}

/** A string that identifies a value for GROUP BY / DISTINCT / join keys (type-tagged; all NULLs equal). */
export function keyOf(v: Value): string {
  if (v === null || v === undefined) return 'N';
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'bigint':
      return 'n' + (v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString());
    case 'number':
      // bigint 5 and float 5.0 group together: they compare equal
      return 'n' + (Object.is(v, -0) ? '0' : String(v));
    case 'boolean':
      return v ? 'b1' : 'b0';
    default:
      if (v instanceof DateTime) return 'd' + v.us;
      return 'j' + JSON.stringify(v, jsonReplacer);
  }
}

export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof DateTime) return formatDateTime(v.us);
  return v;
}

/** The value as it is written to a JSON output (datetimes as strings, bigint as numbers). */
export function toJsonValue(v: Value | undefined): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof DateTime) return formatDateTime(v.us);
  if (typeof v === 'number' && !Number.isFinite(v)) return floatToString(v);
  return v;
}

/** The value as CSV text (spec §5.3): NULL → empty, bit → true/false, record/array → "Record"/"Array". */
export function toCsvText(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'bigint':
      return v.toString();
    case 'number':
      return floatToString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v instanceof DateTime) return formatDateTime(v.us);
      return Array.isArray(v) ? 'Array' : 'Record';
  }
}

export { DAY_US };
