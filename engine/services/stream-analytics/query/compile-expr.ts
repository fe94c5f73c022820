// Compiles expressions of the syntax tree into JS closures over rows. Name resolution happens here
// (binder role): aliases, case-insensitive fields, Event Hub columns, group keys and aggregate slots.
import { NotSupportedError, UserError } from '../../../core/errors.js';
import { AGGREGATE_NAMES, UNSUPPORTED_AGGREGATES, type AggregateSpec } from '../runtime/aggregates.js';
import {
  SCALAR_FUNCTIONS, dateAdd, dateDiff, dateName, datePart, likeToRegExp, parseDatePart, type DatePart,
} from '../runtime/functions.js';
import type { AggRow, JoinRow, Row } from '../runtime/row.js';
import {
  CastError, DateTime, QueryRuntimeError, asDateTime, castValue, cl10AutoConvert, compareValues, typeName, type Value,
} from '../runtime/values.js';
import type { Expr } from './ast.js';
import type { SourcePos } from './lexer.js';

export type CompatLevel = '1.0' | '1.1' | '1.2';
// Rows are Row, JoinRow or AggRow depending on the compile mode; the mode guarantees the shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Evaluator = (row: any) => Value;

export interface AliasInfo {
  name: string;
  lname: string;
  kind: 'stream' | 'reference';
}

export interface AggSlot {
  spec: AggregateSpec;
  /** Evaluates the aggregate's argument on an input row (undefined for COUNT(*)). */
  arg?: Evaluator;
  canon: string;
}

export interface CompileEnv {
  file?: string;
  cl: CompatLevel;
  aliases: AliasInfo[];
  mode: 'row' | 'join' | 'agg';
  /** In agg mode: the canonical text of each GROUP BY key, and the aggregate slots collected so far. */
  groupKeys?: string[];
  aggSlots?: AggSlot[];
  /** Mode used to compile aggregate arguments (row or join). */
  innerMode?: 'row' | 'join';
  /** What a CAST failure does: stop the job (documented) or yield NULL and count it. */
  castFailure: 'stopJob' | 'nullAndCount';
  onCastFailureCounted: () => void;
  onMissingField: (name: string) => void;
  /** Where the expression is used, for messages ("WHERE", "GROUP BY", …). */
  clause: string;
  /** Missing ELSE in CASE is a compile error when strict. */
  strictCase: boolean;
}

const WINDOW_FUNCTIONS = new Set([
  'tumblingwindow', 'tumbling', 'hoppingwindow', 'hopping', 'slidingwindow', 'sliding', 'sessionwindow', 'session', 'windows',
  'duration', 'hop', 'offset', 'timeout', 'maxduration',
]);
const ANALYTIC_FUNCTIONS = new Set(['lag', 'isfirst', 'last', 'lead']);

function fail(env: CompileEnv, msg: string, pos: SourcePos): never {
  throw new UserError(msg, { file: env.file, line: pos.line, column: pos.column });
}
function unsupported(env: CompileEnv, feature: string, pos: SourcePos): never {
  throw new NotSupportedError(feature, { file: env.file, line: pos.line, column: pos.column });
}

// ---- field access ---------------------------------------------------------------------------------

/** Case-insensitive field lookup: the lower-cased name first (CL 1.0 lower-cases at ingest), then as written, then a scan. */
function getField(rec: Record<string, unknown>, lname: string, name: string): unknown {
  let v = rec[lname];
  if (v !== undefined) return v;
  v = rec[name];
  if (v !== undefined) return v;
  return scanField(rec, lname);
}

/** The case-insensitive scan of getField (a field written as `Name` found by `name`). */
function scanField(rec: Record<string, unknown>, lname: string): unknown {
  const first = lname.charCodeAt(0) | 32;
  for (const k in rec) {
    if (k.length !== lname.length) continue;
    // Cheap reject on the first character (ASCII only: other characters can lower-case to ASCII, e.g. K).
    const c = k.charCodeAt(0);
    if (c < 128 && (c | 32) !== first) continue;
    if (k.toLowerCase() === lname) return rec[k];
  }
  return undefined;
}

/** The JSON value → ASA value conversion at ingress (spec §2.3). */
export function makeFromJson(cl: CompatLevel): (v: unknown) => Value {
  const autoDate = cl === '1.0';
  const bit = cl === '1.2';
  return (v: unknown): Value => {
    switch (typeof v) {
      case 'number':
        return Number.isSafeInteger(v) ? BigInt(v) : v;
      case 'string':
        return autoDate ? cl10AutoConvert(v) : v;
      case 'boolean':
        return bit ? v : v ? 1n : 0n;
      case 'undefined':
        return null;
      default:
        return v as Value;
    }
  };
}

/** Partition ids as bigint without allocating one per event. */
const SMALL_BIGINTS = Array.from({ length: 1024 }, (_, i) => BigInt(i));

const META_NONE = 0;
const META_ENQUEUED = 1;
const META_PROCESSED = 2;
const META_PARTITION = 3;

/** Which Event Hub column a field path names, decided once when the reader is compiled (not per event). */
function metaKind(lname: string, path: string[]): number {
  if (path.length !== 1) return META_NONE;
  switch (lname) {
    case 'eventenqueuedutctime':
      return META_ENQUEUED;
    case 'eventprocessedutctime':
      return META_PROCESSED;
    case 'partitionid':
      return META_PARTITION;
    default:
      return META_NONE;
  }
}

/** An Event Hub column of the row's event; `raw` readers (hash keys, CAST fast path) take the partition id as a plain number. */
function metaField(r: Row, kind: number, raw: boolean): Value | undefined {
  const m = r.meta;
  if (!m) return undefined;
  switch (kind) {
    case META_ENQUEUED:
      return new DateTime(m.enqueuedUs);
    case META_PROCESSED:
      return new DateTime(m.processedUs);
    case META_PARTITION:
      if (raw) return m.partitionId;
      return m.partitionId < SMALL_BIGINTS.length ? SMALL_BIGINTS[m.partitionId] : BigInt(m.partitionId);
    default:
      return undefined;
  }
}

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A property reader specialised to one name. `rec[name]` with a varying name is a megamorphic keyed
 * load; a function per field name gets its own inline cache, which matters at a million events/s.
 * Only plain identifiers are compiled (the regex), so nothing from a query is ever evaluated as code.
 */
function propertyReader(lname: string): (rec: Record<string, unknown>) => unknown {
  if (!PLAIN_NAME.test(lname)) return (rec) => rec[lname];
  return new Function('rec', `return rec.${lname};`) as (rec: Record<string, unknown>) => unknown;
}

/**
 * A projection that builds its record with one object literal, `{ a: f0(row), b: f1(row) }`, instead of
 * `o[name] = …` in a loop: the literal gets its final hidden class at once and every column has its own call
 * site, where the loop made one megamorphic keyed store per column (the hottest line of a million-group
 * window). Only plain identifiers are compiled (never `__proto__`, which would set the prototype), so
 * nothing from a query is evaluated as code; otherwise undefined (use the loop).
 */
export function recordBuilder(names: string[], fns: Evaluator[]): Evaluator | undefined {
  if (names.length === 0 || names.length > 64 || !names.every((n) => PLAIN_NAME.test(n) && n !== '__proto__')) return undefined;
  const params = fns.map((_, i) => `f${i}`);
  const body = names.map((n, i) => `${n}: f${i}(row)`).join(', ');
  return new Function(...params, `return (row) => ({ ${body} });`)(...fns) as Evaluator;
}

/** Reads a (possibly dotted) field path from a row; `raw` returns the unconverted JSON value. */
function fieldReader(env: CompileEnv, path: string[], raw: boolean): (r: Row) => unknown {
  const fromJson = makeFromJson(env.cl);
  const lpath = path.map((p) => p.toLowerCase());
  const display = path.join('.');
  const [p0, ...rest] = path;
  const [l0, ...lrest] = lpath;
  const onMissing = env.onMissingField;
  const first = propertyReader(l0);
  // getField's steps with compiled readers: a keyed load of a missing name (an Event Hub column such as
  // PartitionId is never in the body) is a slow generic lookup, and the lower-cased name was just read.
  const asWritten = p0 !== l0 ? propertyReader(p0) : undefined;
  const meta = metaKind(l0, path);
  return (r: Row) => {
    let v: unknown = first(r.rec);
    if (v === undefined) {
      if (asWritten !== undefined) v = asWritten(r.rec);
      if (v === undefined) v = scanField(r.rec, l0);
    }
    if (v === undefined) {
      const m = meta === META_NONE ? undefined : metaField(r, meta, raw);
      if (m !== undefined) return m;
      onMissing(display);
      return null;
    }
    for (let i = 0; i < rest.length; i++) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof DateTime) return null;
      v = getField(v as Record<string, unknown>, lrest[i], rest[i]);
      if (v === undefined) {
        onMissing(display);
        return null;
      }
    }
    if (raw) return v;
    return r.raw ? fromJson(v) : (v as Value) ?? null;
  };
}

interface ResolvedColumn {
  aliasIndex: number;
  path: string[];
}

function resolveColumn(env: CompileEnv, parts: string[], pos: SourcePos): ResolvedColumn {
  const mode = env.mode === 'agg' ? env.innerMode! : env.mode;
  const first = parts[0].toLowerCase();
  const idx = env.aliases.findIndex((a) => a.lname === first);
  if (mode === 'row') {
    if (idx === 0 && parts.length > 1) return { aliasIndex: 0, path: parts.slice(1) };
    return { aliasIndex: 0, path: parts };
  }
  if (idx < 0)
    fail(env, `column '${parts.join('.')}' must be qualified with an input alias (${env.aliases.map((a) => a.name).join(', ')}) in a JOIN`, pos);
  return { aliasIndex: idx, path: parts.slice(1) };
}

/** Canonical text of an expression, used to match SELECT/HAVING expressions with GROUP BY keys. */
export function canonical(env: CompileEnv, e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return `lit:${typeof e.value}:${String(e.value)}`;
    case 'column': {
      const c = resolveColumn(env, e.parts, e.pos);
      return `col:${c.aliasIndex}:${c.path.join('.').toLowerCase()}`;
    }
    case 'dquoted':
      return `dq:${e.text.toLowerCase()}`;
    case 'star':
      return '*';
    case 'timestamp':
      return 'ts()';
    case 'call':
      return `${e.name.toLowerCase()}(${e.distinct ? 'distinct ' : ''}${e.args.map((a) => canonical(env, a)).join(',')})`;
    case 'cast':
      return `${e.try ? 'try_cast' : 'cast'}(${canonical(env, e.expr)} as ${e.type})`;
    case 'case':
      return `case(${e.operand ? canonical(env, e.operand) : ''};${e.whens.map((w) => canonical(env, w.when) + '=>' + canonical(env, w.then)).join(';')};${e.else ? canonical(env, e.else) : ''})`;
    case 'binary':
      return `(${canonical(env, e.left)} ${e.op} ${canonical(env, e.right)})`;
    case 'unary':
      return `${e.op}(${canonical(env, e.expr)})`;
    case 'isnull':
      return `isnull${e.not ? '!' : ''}(${canonical(env, e.expr)})`;
    case 'like':
      return `like${e.not ? '!' : ''}(${canonical(env, e.expr)},${canonical(env, e.pattern)})`;
    case 'between':
      return `between${e.not ? '!' : ''}(${canonical(env, e.expr)},${canonical(env, e.lo)},${canonical(env, e.hi)})`;
    case 'in':
      return `in${e.not ? '!' : ''}(${canonical(env, e.expr)};${e.list.map((x) => canonical(env, x)).join(',')})`;
  }
}

export function containsAggregate(e: Expr): boolean {
  switch (e.kind) {
    case 'call':
      if (AGGREGATE_NAMES.has(e.name.toLowerCase())) return true;
      return e.args.some(containsAggregate);
    case 'cast':
      return containsAggregate(e.expr);
    case 'case':
      return (!!e.operand && containsAggregate(e.operand)) || e.whens.some((w) => containsAggregate(w.when) || containsAggregate(w.then)) || (!!e.else && containsAggregate(e.else));
    case 'binary':
      return containsAggregate(e.left) || containsAggregate(e.right);
    case 'unary':
    case 'isnull':
      return containsAggregate(e.expr);
    case 'like':
      return containsAggregate(e.expr) || containsAggregate(e.pattern);
    case 'between':
      return containsAggregate(e.expr) || containsAggregate(e.lo) || containsAggregate(e.hi);
    case 'in':
      return containsAggregate(e.expr) || e.list.some(containsAggregate);
    default:
      return false;
  }
}

// ---- operators ------------------------------------------------------------------------------------

function arith(op: string, a: Value, b: Value): Value {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/':
        if (b === 0n) throw new QueryRuntimeError('division by zero', 'ArithmeticError');
        return a / b;
      case '%':
        if (b === 0n) throw new QueryRuntimeError('division by zero', 'ArithmeticError');
        return a % b;
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  const x = typeof a === 'bigint' ? Number(a) : typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'bigint' ? Number(b) : typeof b === 'boolean' ? Number(b) : b;
  if (typeof x !== 'number' || typeof y !== 'number')
    throw new QueryRuntimeError(`operator ${op} cannot combine ${typeName(a)} and ${typeName(b)}`, 'TypeMismatch');
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/':
      if (y === 0) throw new QueryRuntimeError('division by zero', 'ArithmeticError');
      return x / y;
    default:
      if (y === 0) throw new QueryRuntimeError('division by zero', 'ArithmeticError');
      return x % y;
  }
}

function truth(v: Value): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  throw new QueryRuntimeError(`expected a condition, got ${typeName(v)}`, 'TypeMismatch');
}

function datePartArg(env: CompileEnv, e: Expr, fn: string): DatePart {
  const word = e.kind === 'column' && e.parts.length === 1 ? e.parts[0] : e.kind === 'literal' && typeof e.value === 'string' ? e.value : undefined;
  const part = word ? parseDatePart(word) : undefined;
  if (!part) fail(env, `${fn}: the first argument must be a date part such as minute or day`, e.pos);
  return part;
}

/** In a JOIN, a bare input alias inside DATEDIFF stands for that event's System.Timestamp (spec §2.7). */
function aliasTimestamp(env: CompileEnv, e: Expr): Evaluator | undefined {
  const mode = env.mode === 'agg' ? env.innerMode : env.mode;
  if (mode !== 'join' || e.kind !== 'column' || e.parts.length !== 1) return undefined;
  const idx = env.aliases.findIndex((a) => a.lname === e.parts[0].toLowerCase());
  if (idx < 0) return undefined;
  if (env.aliases[idx].kind === 'reference') fail(env, 'reference data has no timestamp', e.pos);
  return (r: JoinRow) => {
    const p = r.parts[idx];
    return p ? new DateTime(p.ts) : null;
  };
}

export function compileExpr(env: CompileEnv, e: Expr): Evaluator {
  if (env.mode === 'agg') {
    const c = canonical(env, e);
    const keyIdx = env.groupKeys!.indexOf(c);
    if (keyIdx >= 0 && e.kind !== 'literal') return (r: AggRow) => r.keys[keyIdx];
    if (e.kind === 'call' && AGGREGATE_NAMES.has(e.name.toLowerCase())) return compileAggregateCall(env, e);
    if (e.kind === 'timestamp') return (r: AggRow) => new DateTime(r.ts);
    if (e.kind === 'column')
      fail(env, `column '${e.parts.join('.')}' is not in GROUP BY and not inside an aggregate (${env.clause})`, e.pos);
  }
  switch (e.kind) {
    case 'literal': {
      const v = e.value;
      return () => v;
    }
    case 'column': {
      const col = resolveColumn(env, e.parts, e.pos);
      if (env.mode === 'row') return fieldReader(env, col.path, false) as Evaluator;
      if (env.aliases[col.aliasIndex] && col.path.length === 0)
        fail(env, `'${e.parts[0]}' is an input alias; name a field such as ${e.parts[0]}.field`, e.pos);
      const read = fieldReader(env, col.path, false);
      const idx = col.aliasIndex;
      return (r: JoinRow) => {
        const p = r.parts[idx];
        return p ? (read(p) as Value) : null;
      };
    }
    case 'dquoted': {
      // An identifier if the field exists, else a string literal (spec §2.2, UNVERIFIED rule)
      const text = e.text;
      const lname = text.toLowerCase();
      if (env.mode === 'join') return () => text;
      const fromJson = makeFromJson(env.cl);
      return (r: Row) => {
        const v = getField(r.rec, lname, text);
        if (v === undefined) return text;
        return r.raw ? fromJson(v) : (v as Value);
      };
    }
    case 'star':
      return fail(env, "'*' is only allowed in COUNT(*) and as a select item", e.pos);
    case 'timestamp':
      return (r: Row) => new DateTime(r.ts);
    case 'cast':
      return compileCast(env, e);
    case 'case':
      return compileCase(env, e);
    case 'binary': {
      const l = compileExpr(env, e.left);
      const r = compileExpr(env, e.right);
      switch (e.op) {
        case 'AND':
          return (row) => {
            const a = truth(l(row));
            if (a === false) return false;
            const b = truth(r(row));
            if (b === false) return false;
            return a === null || b === null ? null : true;
          };
        case 'OR':
          return (row) => {
            const a = truth(l(row));
            if (a === true) return true;
            const b = truth(r(row));
            if (b === true) return true;
            return a === null || b === null ? null : false;
          };
        case '=':
          return (row) => { const c = compareValues(l(row), r(row)); return c === null ? null : c === 0; };
        case '<>':
          return (row) => { const c = compareValues(l(row), r(row)); return c === null ? null : c !== 0; };
        case '<':
          return (row) => { const c = compareValues(l(row), r(row)); return c === null ? null : c < 0; };
        case '<=':
          return (row) => { const c = compareValues(l(row), r(row)); return c === null ? null : c <= 0; };
        case '>':
          return (row) => { const c = compareValues(l(row), r(row)); return c === null ? null : c > 0; };
        case '>=':
          return (row) => { const c = compareValues(l(row), r(row)); return c === null ? null : c >= 0; };
        default: {
          const op = e.op;
          return (row) => arith(op, l(row), r(row));
        }
      }
    }
    case 'unary': {
      const inner = compileExpr(env, e.expr);
      if (e.op === 'NOT')
        return (row) => {
          const t = truth(inner(row));
          return t === null ? null : !t; // NOT UNKNOWN = UNKNOWN (T-SQL; UNVERIFIED for ASA)
        };
      return (row) => {
        const v = inner(row);
        if (v === null) return null;
        if (typeof v === 'bigint') return -v;
        if (typeof v === 'number') return -v;
        throw new QueryRuntimeError(`cannot negate ${typeName(v)}`, 'TypeMismatch');
      };
    }
    case 'isnull': {
      const inner = compileExpr(env, e.expr);
      return e.not ? (row) => inner(row) !== null : (row) => inner(row) === null;
    }
    case 'like': {
      const value = compileExpr(env, e.expr);
      const not = e.not;
      if (e.pattern.kind === 'literal' && typeof e.pattern.value === 'string') {
        const re = likeToRegExp(e.pattern.value);
        return (row) => {
          const v = value(row);
          if (v === null) return null;
          const m = re.test(typeof v === 'string' ? v : (castValue(v, 'nvarchar(max)') as string));
          return not ? !m : m;
        };
      }
      const pattern = compileExpr(env, e.pattern);
      return (row) => {
        const v = value(row);
        const p = pattern(row);
        if (v === null || p === null) return null;
        const m = likeToRegExp(String(p)).test(String(v));
        return not ? !m : m;
      };
    }
    case 'between': {
      const v = compileExpr(env, e.expr);
      const lo = compileExpr(env, e.lo);
      const hi = compileExpr(env, e.hi);
      const not = e.not;
      return (row) => {
        const x = v(row);
        const a = compareValues(x, lo(row));
        const b = compareValues(x, hi(row));
        if (a === null || b === null) return null;
        const inside = a >= 0 && b <= 0;
        return not ? !inside : inside;
      };
    }
    case 'in': {
      const v = compileExpr(env, e.expr);
      const list = e.list.map((x) => compileExpr(env, x));
      const not = e.not;
      return (row) => {
        const x = v(row);
        if (x === null) return null;
        let unknown = false;
        for (const item of list) {
          const c = compareValues(x, item(row));
          if (c === 0) return !not;
          if (c === null) unknown = true;
        }
        return unknown ? null : not;
      };
    }
    case 'call':
      return compileCall(env, e);
  }
}

function compileCast(env: CompileEnv, e: Extract<Expr, { kind: 'cast' }>): Evaluator {
  const type = e.type;
  const isTry = e.try;
  const stop = env.castFailure === 'stopJob';
  const counted = env.onCastFailureCounted;
  const onFail = (err: CastError): Value => {
    if (isTry) return null;
    if (stop) throw new QueryRuntimeError(`CAST failed: ${err.message}`, 'CastFailure');
    counted();
    return null;
  };
  // Fast path: CAST(field AS FLOAT) on a raw JSON number needs no intermediate bigint.
  if (type === 'float' && e.expr.kind === 'column' && (env.mode === 'row' || (env.mode === 'agg' && env.innerMode === 'row'))) {
    const saved = env.mode;
    const col = resolveColumn(env, e.expr.parts, e.expr.pos);
    const rawRead = fieldReader(env, col.path, true);
    const fromJson = makeFromJson(env.cl);
    void saved;
    return (r: Row) => {
      const v = rawRead(r);
      if (typeof v === 'number') return v;
      try {
        return castValue(r.raw ? fromJson(v) : (v as Value), 'float');
      } catch (err) {
        if (err instanceof CastError) return onFail(err);
        throw err;
      }
    };
  }
  const inner = compileExpr(env, e.expr);
  return (row) => {
    try {
      return castValue(inner(row), type);
    } catch (err) {
      if (err instanceof CastError) return onFail(err);
      throw err;
    }
  };
}

function compileCase(env: CompileEnv, e: Extract<Expr, { kind: 'case' }>): Evaluator {
  if (!e.else && env.strictCase) fail(env, 'CASE needs an ELSE branch', e.pos);
  const operand = e.operand ? compileExpr(env, e.operand) : undefined;
  const whens = e.whens.map((w) => ({ when: compileExpr(env, w.when), then: compileExpr(env, w.then) }));
  const otherwise = e.else ? compileExpr(env, e.else) : () => null;
  if (operand)
    return (row) => {
      const v = operand(row);
      for (const w of whens) if (compareValues(v, w.when(row)) === 0) return w.then(row);
      return otherwise(row);
    };
  return (row) => {
    for (const w of whens) if (truth(w.when(row)) === true) return w.then(row);
    return otherwise(row);
  };
}

function compileAggregateCall(env: CompileEnv, e: Extract<Expr, { kind: 'call' }>): Evaluator {
  const name = e.name.toLowerCase() as AggregateSpec['name'];
  const slots = env.aggSlots!;
  const star = e.args.length === 1 && e.args[0].kind === 'star';
  if (star && name !== 'count') fail(env, `${e.name}(*) is not allowed; only COUNT(*)`, e.pos);
  if (name === 'collect' ? e.args.length > 1 : e.args.length !== 1) fail(env, `${e.name} takes one argument`, e.pos);
  if (e.distinct && name !== 'count') unsupported(env, `${e.name}(DISTINCT …)`, e.pos);
  const innerEnv: CompileEnv = { ...env, mode: env.innerMode!, clause: `${e.name}()` };
  for (const a of e.args) if (a.kind !== 'star' && containsAggregate(a)) fail(env, 'aggregates cannot be nested', a.pos);
  const arg = star ? undefined : e.args.length === 0 ? () => null : compileExpr(innerEnv, e.args[0]);
  const stringCompare = e.args[0]?.kind === 'cast' && e.args[0].type === 'nvarchar(max)';
  const canon = canonical(env, e);
  let slot = slots.findIndex((s) => s.canon === canon);
  if (slot < 0) {
    slot = slots.length;
    slots.push({ spec: { name, distinct: e.distinct, star, stringCompare }, arg, canon });
  }
  const i = slot;
  return (r: AggRow) => r.aggs[i];
}

function compileCall(env: CompileEnv, e: Extract<Expr, { kind: 'call' }>): Evaluator {
  const name = e.name.toLowerCase();
  if (AGGREGATE_NAMES.has(name))
    fail(env, `aggregate ${e.name}() is only allowed in SELECT and HAVING of a query with GROUP BY (found in ${env.clause})`, e.pos);
  if (UNSUPPORTED_AGGREGATES.has(name) || ANALYTIC_FUNCTIONS.has(name)) unsupported(env, `${e.name}()`, e.pos);
  if (WINDOW_FUNCTIONS.has(name)) fail(env, `${e.name}() is only allowed in GROUP BY`, e.pos);
  if (e.distinct) fail(env, `DISTINCT is only allowed in COUNT`, e.pos);
  switch (name) {
    case 'dateadd': {
      if (e.args.length !== 3) fail(env, 'DATEADD takes (datepart, number, date)', e.pos);
      const part = datePartArg(env, e.args[0], 'DATEADD');
      const n = compileExpr(env, e.args[1]);
      const d = compileExpr(env, e.args[2]);
      return (row) => {
        const k = n(row);
        const dt = asDateTime(d(row), 'DATEADD');
        if (k === null || dt === null) return null;
        if (typeof k !== 'bigint' && typeof k !== 'number') throw new QueryRuntimeError('DATEADD: number expected', 'TypeMismatch');
        return dateAdd(part, Number(k), dt);
      };
    }
    case 'datediff': {
      if (e.args.length !== 3) fail(env, 'DATEDIFF takes (datepart, startdate, enddate)', e.pos);
      const part = datePartArg(env, e.args[0], 'DATEDIFF');
      const a = aliasTimestamp(env, e.args[1]) ?? compileExpr(env, e.args[1]);
      const b = aliasTimestamp(env, e.args[2]) ?? compileExpr(env, e.args[2]);
      return (row) => {
        const x = asDateTime(a(row), 'DATEDIFF');
        const y = asDateTime(b(row), 'DATEDIFF');
        if (x === null || y === null) return null;
        return dateDiff(part, x, y);
      };
    }
    case 'datepart':
    case 'datename': {
      if (e.args.length !== 2) fail(env, `${e.name} takes (datepart, date)`, e.pos);
      const part = datePartArg(env, e.args[0], e.name.toUpperCase());
      const d = compileExpr(env, e.args[1]);
      const named = name === 'datename';
      return (row) => {
        const dt = asDateTime(d(row), e.name.toUpperCase());
        if (dt === null) return null;
        return named ? dateName(part, dt) : datePart(part, dt);
      };
    }
    case 'getmetadatapropertyvalue': {
      if (e.args.length !== 2 || e.args[1].kind !== 'literal' || typeof e.args[1].value !== 'string')
        fail(env, "GetMetadataPropertyValue takes (input, '[EventHub].[Property]')", e.pos);
      const prop = (e.args[1].value as string).replace(/[[\]]/g, '').toLowerCase();
      const mode = env.mode === 'agg' ? env.innerMode : env.mode;
      const idx = mode === 'join' && e.args[0].kind === 'column' ? env.aliases.findIndex((a) => a.lname === (e.args[0] as { parts: string[] }).parts[0].toLowerCase()) : 0;
      return (row) => {
        const r: Row | null = mode === 'join' ? (row as JoinRow).parts[Math.max(idx, 0)] : (row as Row);
        const m = r?.meta;
        if (!m) return null;
        switch (prop) {
          case 'eventhub.eventenqueuedutctime':
          case 'eventenqueuedutctime':
            return new DateTime(m.enqueuedUs);
          case 'eventprocessedutctime':
          case 'eventhub.eventprocessedutctime':
            return new DateTime(m.processedUs);
          case 'partitionid':
          case 'eventhub.partitionid':
            return BigInt(m.partitionId);
          case 'eventhub.offset':
            return m.offset ?? null;
          case 'eventhub.sequencenumber':
            return m.sequenceNumber === undefined ? null : BigInt(m.sequenceNumber);
          default:
            if (prop.startsWith('user.') && m.properties) return (m.properties[prop.slice(5)] ?? null) as Value;
            return null;
        }
      };
    }
  }
  const f = SCALAR_FUNCTIONS[name];
  if (!f) unsupported(env, `function ${e.name}()`, e.pos);
  if (e.args.length < f.min || e.args.length > f.max)
    fail(env, `${e.name} takes ${f.min === f.max ? f.min : `${f.min} to ${f.max}`} argument(s), got ${e.args.length}`, e.pos);
  const args = e.args.map((a) => compileExpr(env, a));
  const fn = f.fn;
  if (args.length === 1) {
    const a0 = args[0];
    return (row) => fn([a0(row)]);
  }
  return (row) => fn(args.map((a) => a(row)));
}

/**
 * A GROUP BY key reader for hashing and comparing only: a plain column of an input event is read without
 * turning JSON integers into bigint (5 and 5n group together anyway), which saves an allocation per event.
 * Returns undefined when the expression has no cheaper reader (use the full evaluator).
 */
export function compileHashKey(env: CompileEnv, e: Expr, full: Evaluator): Evaluator | undefined {
  if (e.kind !== 'column' || env.mode !== 'row') return undefined;
  const col = resolveColumn(env, e.parts, e.pos);
  const raw = fieldReader(env, col.path, true);
  const fromJson = makeFromJson(env.cl);
  return (r: Row) => {
    if (!r.raw) return full(r);
    const v = raw(r);
    return typeof v === 'number' ? v : fromJson(v);
  };
}
