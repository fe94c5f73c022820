// Built-in scalar functions (spec §2.5) and the date-part arithmetic shared with windows and joins.
import { DateTime, QueryRuntimeError, asDateTime, castValue, floatToString, formatDateTime, typeName, type Value, DAY_US } from './values.js';

export type DatePart =
  | 'year' | 'quarter' | 'month' | 'dayofyear' | 'day' | 'week' | 'weekday'
  | 'hour' | 'minute' | 'second' | 'millisecond' | 'microsecond';

const DATEPART_ALIASES: Record<string, DatePart> = {
  year: 'year', yy: 'year', yyyy: 'year',
  quarter: 'quarter', qq: 'quarter', q: 'quarter',
  month: 'month', mm: 'month', m: 'month',
  dayofyear: 'dayofyear', dy: 'dayofyear', y: 'dayofyear',
  day: 'day', dd: 'day', d: 'day',
  week: 'week', wk: 'week', ww: 'week',
  weekday: 'weekday', dw: 'weekday', w: 'weekday',
  hour: 'hour', hh: 'hour',
  minute: 'minute', mi: 'minute', n: 'minute',
  second: 'second', ss: 'second', s: 'second',
  millisecond: 'millisecond', ms: 'millisecond',
  microsecond: 'microsecond', mcs: 'microsecond',
};

export function parseDatePart(word: string): DatePart | undefined {
  return DATEPART_ALIASES[word.toLowerCase()];
}

/** Window time units (spec §2.2 `unit`), in microseconds. */
const WINDOW_UNITS: Record<string, number> = {
  day: DAY_US, dd: DAY_US, d: DAY_US,
  hour: 3_600_000_000, hh: 3_600_000_000,
  minute: 60_000_000, mi: 60_000_000, n: 60_000_000,
  second: 1_000_000, ss: 1_000_000, s: 1_000_000,
  millisecond: 1000, ms: 1000,
  microsecond: 1, mcs: 1,
};

export function windowUnitUs(word: string): number | undefined {
  return WINDOW_UNITS[word.toLowerCase()];
}

const FIXED_PART_US: Partial<Record<DatePart, number>> = {
  day: DAY_US, hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, millisecond: 1000, microsecond: 1,
};

function utc(us: number): Date {
  return new Date(Math.floor(us / 1000));
}

/** DATEADD: fractional numbers are truncated (spec §2.3). */
export function dateAdd(part: DatePart, n: number, dt: DateTime): DateTime {
  const k = Math.trunc(n);
  const fixed = FIXED_PART_US[part];
  if (fixed !== undefined) return new DateTime(dt.us + k * fixed);
  if (part === 'week') return new DateTime(dt.us + k * 7 * DAY_US);
  if (part === 'dayofyear' || part === 'weekday') return new DateTime(dt.us + k * DAY_US);
  const months = part === 'year' ? 12 * k : part === 'quarter' ? 3 * k : k;
  const d = utc(dt.us);
  const subMs = dt.us - Math.floor(dt.us / 1000) * 1000;
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetY = y + Math.floor(m / 12);
  const targetM = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetY, targetM + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay); // T-SQL clamps to the month end
  const ms = Date.UTC(targetY, targetM, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  return new DateTime(ms * 1000 + subMs);
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** DATEDIFF counts the `part` boundaries crossed between start and end (T-SQL semantics, spec §2.3). */
export function dateDiff(part: DatePart, start: DateTime, end: DateTime): bigint {
  const a = start.us;
  const b = end.us;
  const fixed = FIXED_PART_US[part];
  if (fixed !== undefined) return BigInt(floorDiv(b, fixed) - floorDiv(a, fixed));
  if (part === 'dayofyear' || part === 'weekday') return BigInt(floorDiv(b, DAY_US) - floorDiv(a, DAY_US));
  if (part === 'week') {
    // weeks start on Sunday; 1970-01-01 was a Thursday (4 days after Sunday)
    return BigInt(floorDiv(floorDiv(b, DAY_US) + 4, 7) - floorDiv(floorDiv(a, DAY_US) + 4, 7));
  }
  const da = utc(a);
  const db = utc(b);
  const years = db.getUTCFullYear() - da.getUTCFullYear();
  if (part === 'year') return BigInt(years);
  const months = years * 12 + db.getUTCMonth() - da.getUTCMonth();
  if (part === 'month') return BigInt(months);
  // quarter
  return BigInt(years * 4 + Math.floor(db.getUTCMonth() / 3) - Math.floor(da.getUTCMonth() / 3));
}

export function datePart(part: DatePart, dt: DateTime): bigint {
  const d = utc(dt.us);
  switch (part) {
    case 'year': return BigInt(d.getUTCFullYear());
    case 'quarter': return BigInt(Math.floor(d.getUTCMonth() / 3) + 1);
    case 'month': return BigInt(d.getUTCMonth() + 1);
    case 'day': return BigInt(d.getUTCDate());
    case 'dayofyear': {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      return BigInt(Math.floor((d.getTime() - start) / 86_400_000) + 1);
    }
    case 'week': {
      const jan1 = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
      const dayOfYear = Math.floor((d.getTime() - jan1.getTime()) / 86_400_000);
      return BigInt(Math.floor((dayOfYear + jan1.getUTCDay()) / 7) + 1);
    }
    case 'weekday': return BigInt(d.getUTCDay() + 1); // Sunday = 1 (T-SQL default DATEFIRST 7)
    case 'hour': return BigInt(d.getUTCHours());
    case 'minute': return BigInt(d.getUTCMinutes());
    case 'second': return BigInt(d.getUTCSeconds());
    case 'millisecond': return BigInt(d.getUTCMilliseconds());
    case 'microsecond': return BigInt(((dt.us % 1_000_000) + 1_000_000) % 1_000_000);
  }
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function dateName(part: DatePart, dt: DateTime): string {
  if (part === 'month') return MONTH_NAMES[utc(dt.us).getUTCMonth()];
  if (part === 'weekday') return DAY_NAMES[utc(dt.us).getUTCDay()];
  return datePart(part, dt).toString();
}

// ---- string and math helpers -------------------------------------------------------------------

function str(v: Value, _fn: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return castValue(v, 'nvarchar(max)') as string;
}

function int(v: Value, fn: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.trunc(v);
  throw new QueryRuntimeError(`${fn}: expected a number, got ${typeName(v)}`, 'TypeMismatch');
}

function num(v: Value, fn: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new QueryRuntimeError(`${fn}: expected a number, got ${typeName(v)}`, 'TypeMismatch');
}

/** T-SQL LIKE → RegExp: % any string, _ one char, [..] / [^..] classes. Ordinal, case-sensitive (UNVERIFIED). */
export function likeToRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const neg = body.startsWith('^');
        if (neg) body = body.slice(1);
        re += `[${neg ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}

type ScalarFn = (args: Value[]) => Value;

const allNull = (args: Value[]) => args.some((a) => a === null || a === undefined);

/** Plain scalar functions by lower-case name; date functions with a date-part argument are compiled separately. */
export const SCALAR_FUNCTIONS: Record<string, { min: number; max: number; fn: ScalarFn }> = {
  len: { min: 1, max: 1, fn: ([s]) => { const t = str(s, 'LEN'); return t === null ? null : BigInt(t.replace(/ +$/, '').length); } },
  lower: { min: 1, max: 1, fn: ([s]) => str(s, 'LOWER')?.toLowerCase() ?? null },
  upper: { min: 1, max: 1, fn: ([s]) => str(s, 'UPPER')?.toUpperCase() ?? null },
  ltrim: { min: 1, max: 1, fn: ([s]) => str(s, 'LTRIM')?.replace(/^ +/, '') ?? null },
  rtrim: { min: 1, max: 1, fn: ([s]) => str(s, 'RTRIM')?.replace(/ +$/, '') ?? null },
  trim: { min: 1, max: 1, fn: ([s]) => str(s, 'TRIM')?.replace(/^ +| +$/g, '') ?? null },
  reverse: { min: 1, max: 1, fn: ([s]) => { const t = str(s, 'REVERSE'); return t === null ? null : [...t].reverse().join(''); } },
  substring: {
    min: 3, max: 3,
    fn: (args) => {
      if (allNull(args)) return null;
      const s = str(args[0], 'SUBSTRING')!;
      const start = int(args[1], 'SUBSTRING')!;
      const len = int(args[2], 'SUBSTRING')!;
      if (len < 0) throw new QueryRuntimeError('SUBSTRING: length must not be negative', 'InvalidArgument');
      const from = Math.max(start, 1);
      const to = start + len; // exclusive, 1-based
      if (to <= from) return '';
      return s.slice(from - 1, to - 1);
    },
  },
  charindex: {
    min: 2, max: 3,
    fn: (args) => {
      if (args[0] === null || args[1] === null) return null;
      const find = str(args[0], 'CHARINDEX')!;
      const s = str(args[1], 'CHARINDEX')!;
      const start = args.length > 2 && args[2] !== null ? Math.max(int(args[2], 'CHARINDEX')!, 1) : 1;
      return BigInt(s.indexOf(find, start - 1) + 1);
    },
  },
  patindex: {
    min: 2, max: 2,
    fn: (args) => {
      if (allNull(args)) return null;
      const p = str(args[0], 'PATINDEX')!;
      const s = str(args[1], 'PATINDEX')!;
      const re = likeToRegExp(p.replace(/^%/, '').replace(/%$/, ''));
      const inner = new RegExp(re.source.slice(1, -1), 's');
      const m = inner.exec(s);
      return BigInt(m ? m.index + 1 : 0);
    },
  },
  concat: {
    min: 1, max: 254,
    fn: (args) => args.map((a) => (a === null || a === undefined ? '' : str(a, 'CONCAT'))).join(''),
  },
  concat_ws: {
    min: 2, max: 254,
    fn: (args) => {
      const sep = str(args[0], 'CONCAT_WS') ?? '';
      return args.slice(1).filter((a) => a !== null && a !== undefined).map((a) => str(a, 'CONCAT_WS')).join(sep);
    },
  },
  replace: {
    min: 3, max: 3,
    fn: (args) => (allNull(args) ? null : str(args[0], 'REPLACE')!.split(str(args[1], 'REPLACE')!).join(str(args[2], 'REPLACE')!)),
  },
  left: { min: 2, max: 2, fn: (args) => (allNull(args) ? null : str(args[0], 'LEFT')!.slice(0, Math.max(0, int(args[1], 'LEFT')!))) },
  right: {
    min: 2, max: 2,
    fn: (args) => {
      if (allNull(args)) return null;
      const s = str(args[0], 'RIGHT')!;
      const n = Math.max(0, int(args[1], 'RIGHT')!);
      return n === 0 ? '' : s.slice(-n);
    },
  },
  replicate: { min: 2, max: 2, fn: (args) => (allNull(args) ? null : str(args[0], 'REPLICATE')!.repeat(Math.max(0, int(args[1], 'REPLICATE')!))) },
  space: { min: 1, max: 1, fn: ([n]) => (n === null ? null : ' '.repeat(Math.max(0, int(n, 'SPACE')!))) },
  regexmatch: {
    min: 2, max: 2,
    fn: (args) => (allNull(args) ? null : BigInt(new RegExp(str(args[1], 'REGEXMATCH')!).test(str(args[0], 'REGEXMATCH')!) ? 1 : 0)),
  },
  coalesce: { min: 1, max: 254, fn: (args) => { for (const a of args) if (a !== null && a !== undefined) return a; return null; } },
  nullif: {
    min: 2, max: 2,
    fn: ([a, b]) => {
      if (a === null || a === undefined) return null;
      if (b !== null && b !== undefined && compareEq(a, b)) return null;
      return a;
    },
  },
  abs: { min: 1, max: 1, fn: ([v]) => (v === null ? null : typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(num(v, 'ABS')!)) },
  sign: { min: 1, max: 1, fn: ([v]) => (v === null ? null : typeof v === 'bigint' ? (v > 0n ? 1n : v < 0n ? -1n : 0n) : Math.sign(num(v, 'SIGN')!)) },
  ceiling: { min: 1, max: 1, fn: ([v]) => (v === null ? null : typeof v === 'bigint' ? v : Math.ceil(num(v, 'CEILING')!)) },
  floor: { min: 1, max: 1, fn: ([v]) => (v === null ? null : typeof v === 'bigint' ? v : Math.floor(num(v, 'FLOOR')!)) },
  round: {
    min: 2, max: 3,
    fn: (args) => {
      if (args[0] === null || args[1] === null) return null;
      if (typeof args[0] === 'bigint') return args[0];
      const v = num(args[0], 'ROUND')!;
      const p = int(args[1], 'ROUND')!;
      const f = 10 ** p;
      if (args[2] !== undefined && args[2] !== null && int(args[2], 'ROUND') !== 0) return Math.trunc(v * f) / f;
      return (Math.sign(v) * Math.round(Math.abs(v) * f)) / f; // T-SQL rounds half away from zero
    },
  },
  power: { min: 2, max: 2, fn: (args) => (allNull(args) ? null : num(args[0], 'POWER')! ** num(args[1], 'POWER')!) },
  sqrt: { min: 1, max: 1, fn: ([v]) => (v === null ? null : Math.sqrt(num(v, 'SQRT')!)) },
  square: { min: 1, max: 1, fn: ([v]) => (v === null ? null : num(v, 'SQUARE')! ** 2) },
  exp: { min: 1, max: 1, fn: ([v]) => (v === null ? null : Math.exp(num(v, 'EXP')!)) },
  log: {
    min: 1, max: 2,
    fn: (args) => (args[0] === null ? null : args.length > 1 && args[1] !== null ? Math.log(num(args[0], 'LOG')!) / Math.log(num(args[1], 'LOG')!) : Math.log(num(args[0], 'LOG')!)),
  },
  log10: { min: 1, max: 1, fn: ([v]) => (v === null ? null : Math.log10(num(v, 'LOG10')!)) },
  gettype: { min: 1, max: 1, fn: ([v]) => typeName(v) },
  getarrayelement: {
    min: 2, max: 2,
    fn: ([a, i]) => {
      if (a === null || i === null || !Array.isArray(a)) return null;
      const k = int(i, 'GetArrayElement')!;
      return (a[k] ?? null) as Value;
    },
  },
  getarraylength: { min: 1, max: 1, fn: ([a]) => (Array.isArray(a) ? BigInt(a.length) : null) },
  getrecordpropertyvalue: {
    min: 2, max: 2,
    fn: ([r, p]) => {
      if (r === null || p === null || typeof r !== 'object' || Array.isArray(r) || r instanceof DateTime) return null;
      const path = str(p, 'GetRecordPropertyValue')!.split('.');
      let cur: unknown = r;
      for (const part of path) {
        if (cur === null || typeof cur !== 'object') return null;
        cur = (cur as Record<string, unknown>)[part];
      }
      return (cur ?? null) as Value;
    },
  },
  datetimefromparts: {
    min: 7, max: 7,
    fn: (args) => {
      if (allNull(args)) return null;
      const [y, mo, d, h, mi, s, ms] = args.map((a) => int(a, 'DATETIMEFROMPARTS')!);
      const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
      if (Number.isNaN(t)) throw new QueryRuntimeError('DATETIMEFROMPARTS: invalid date', 'InvalidArgument');
      return new DateTime(t * 1000);
    },
  },
  year: { min: 1, max: 1, fn: ([v]) => { const d = asDateTime(v, 'YEAR'); return d ? datePart('year', d) : null; } },
  month: { min: 1, max: 1, fn: ([v]) => { const d = asDateTime(v, 'MONTH'); return d ? datePart('month', d) : null; } },
  day: { min: 1, max: 1, fn: ([v]) => { const d = asDateTime(v, 'DAY'); return d ? datePart('day', d) : null; } },
};

function compareEq(a: Value, b: Value): boolean {
  if (typeof a === typeof b && (typeof a !== 'object' || a === null)) return a === b;
  if (a instanceof DateTime && b instanceof DateTime) return a.us === b.us;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  return false;
}

export { floatToString, formatDateTime };
