// A running Stream Analytics job: binds the parsed query to the job's inputs and outputs (binder),
// builds the operator graph, and runs it on a virtual arrival clock. Events are pushed in arrival order
// with their enqueued time and partition; time only moves through pushes and advanceTo() — never Date.now().
import { NotSupportedError, UserError } from '../../../core/errors.js';
import type { EpochMs } from '../../../ports/clock.js';
import type { ObjectStore } from '../../../ports/storage.js';
import type { Expr, Query, SelectCore, SourceRef } from '../query/ast.js';
import {
  canonical, compileExpr, compileHashKey, containsAggregate, makeFromJson, recordBuilder, type AggSlot, type AliasInfo, type CompileEnv, type Evaluator,
} from '../query/compile-expr.js';
import { parseQuery } from '../query/parser.js';
import type { SourcePos } from '../query/lexer.js';
import { parseDatePart, windowUnitUs } from './functions.js';
import { emptyMetrics, type JobMetrics } from './metrics.js';
import {
  EmitOp, FilterOp, PartitionedAggregateOp, ProjectOp, ReferenceJoinOp, SessionAggregateOp, SlidingAggregateOp, StreamJoinOp, WindowAggregateOp,
  hoppingAssigner, snapshotAssigner, type AggregateParts, type Projector, type TemporalBound,
} from './operators.js';
import { BlobOutput, ListenerOutput, MemoryOutput, rowToJson, type OutputSink } from './outputs.js';
import { JoinRow, Row, type AggRow, type AnyRow, type EventMeta } from './row.js';
import { Stream, UnionStream, type Operator, type StreamConsumer } from './stream.js';
import { SourceStream, type TimePolicyConfig } from './time-policy.js';
import { CastError, DateTime, QueryRuntimeError, castValue, jsonReplacer, parseDateTime, type Value } from './values.js';
import type { JobDefinition } from '../job-config.js';
import { DEFAULT_CAPACITY_PARAMS, v1Equivalent, type CapacityParams } from '../capacity.js';
import { putColumn } from './columns.js';

/** One decoder for every event body (constructing one per event cost more than the decoding). */
const utf8Decoder = new TextDecoder();

export type JobState = 'Created' | 'Running' | 'Stopped' | 'Failed';

export interface InputEvent {
  partitionId: number | string;
  /** EventEnqueuedUtcTime, ms since the Unix epoch (the arrival time). */
  enqueuedTime: EpochMs;
  /** The message body: a JSON text (object, array of objects or line-separated objects), bytes, or an already-parsed object. */
  body: string | Uint8Array | Record<string, unknown> | unknown[];
  properties?: Record<string, unknown>;
  offset?: string;
  sequenceNumber?: number;
  /** Where the event came from (e.g. "input.jsonl:12"), quoted in errors. */
  origin?: string;
}

export interface StepDescription {
  name: string;
  partitioned: boolean;
  kind: 'passthrough' | 'filter' | 'windowAggregate' | 'join' | 'referenceJoin';
  window?: 'tumbling' | 'hopping' | 'sliding' | 'session' | 'snapshot';
  windowUs?: number;
  joinSpanUs?: number;
}

export interface DataErrorExample {
  type: string;
  message: string;
  origin?: string;
}

export interface JobOptions {
  /** Blob outputs write here. */
  store?: ObjectStore;
  /** Reference data tables by input name (records as parsed JSON / CSV rows). */
  referenceData?: Record<string, Record<string, unknown>[]>;
  /** Seed for deterministic writer ids. */
  seed?: number;
}

const WINDOW_NAMES: Record<string, 'tumbling' | 'hopping' | 'sliding' | 'session'> = {
  tumblingwindow: 'tumbling', tumbling: 'tumbling', hoppingwindow: 'hopping', hopping: 'hopping',
  slidingwindow: 'sliding', sliding: 'sliding', sessionwindow: 'session', session: 'session',
};
const MAX_WINDOW_US = 7 * 86_400_000_000;
const DOTNET_EPOCH_US = -62_135_596_800_000_000n;

interface InputNode {
  name: string;
  def: JobDefinition['inputs'][string];
  sources: SourceStream[];
  /** CREATE TABLE schema: declared columns are converted at ingress; failures drop the event. */
  schema?: { name: string; lname: string; type: string }[];
}

/** A step of the query (one SELECT): consumes streams, runs its operators, feeds its output stream. */
class Step implements StreamConsumer {
  wm = -Infinity;
  readonly floors: Operator[] = [];
  readonly stateful: Operator[] = [];
  constructor(
    readonly out: Stream,
    readonly inputs: Stream[],
    /** For each input stream, the callbacks that take its rows (left side of the chain or a join's right side). */
    readonly routes: Map<Stream, ((row: AnyRow) => void)[]>,
    readonly head: Operator,
  ) {
    for (const s of new Set(inputs)) s.consumers.push(this);
    const only = routes.size === 1 ? [...routes.values()][0] : undefined;
    this.single = only && only.length === 1 ? only[0] : undefined;
  }
  private readonly single: ((row: AnyRow) => void) | undefined;
  onRow(row: AnyRow, from: Stream): void {
    // Most steps read one stream through one route: skip the lookup.
    if (this.single) return this.single(row);
    const rs = this.routes.get(from)!;
    for (let i = 0; i < rs.length; i++) rs[i](row);
  }
  onPartitionWatermark(_from: Stream, pid: number, wm: number): void {
    this.head.advancePartition?.(pid, wm);
  }
  onWatermark(): void {
    let w = Infinity;
    for (const s of this.inputs) if (s.wm < w) w = s.wm;
    if (w <= this.wm) return;
    this.wm = w;
    this.head.advance(w);
    let out = w;
    for (const op of this.floors) {
      const f = op.pendingFloor!();
      if (f < out) out = f;
    }
    this.out.advance(out);
  }
}

export class StreamAnalyticsJob {
  state: JobState = 'Created';
  /** Why the job failed (a CAST failure stops the job, as documented). */
  failure: { message: string; origin?: string } | undefined;
  readonly dataErrors: DataErrorExample[] = [];
  readonly missingFields = new Set<string>();
  readonly steps: StepDescription[] = [];
  readonly outputAliases: string[] = [];

  private readonly metricsData: JobMetrics = emptyMetrics();
  private readonly inputs = new Map<string, InputNode>();
  private readonly sources: SourceStream[] = [];
  private readonly ctes = new Map<string, Stream>();
  private readonly sinks = new Map<string, OutputSink>();
  private readonly outStreams: Stream[] = [];
  private readonly allSteps: Step[] = [];
  private readonly refTables = new Map<string, Row[]>();
  private readonly refJoins: { name: string; op: ReferenceJoinOp }[] = [];
  private readonly listeners: ((alias: string, row: Row) => void)[] = [];
  private readonly policy: TimePolicyConfig;
  private readonly fromJson: (v: unknown) => Value;
  private nowUs = -Infinity;
  /** The input of the previous push: pipelines push to one input many times in a row. */
  private lastInput: InputNode | undefined;
  private currentOrigin: string | undefined;
  private readonly file?: string;

  constructor(
    readonly definition: JobDefinition,
    private readonly options: JobOptions = {},
  ) {
    const def = definition;
    this.file = def.queryFile;
    this.policy = {
      lateUs: def.eventsLateArrivalMaxDelayInSeconds < 0 ? -1 : def.eventsLateArrivalMaxDelayInSeconds * 1e6,
      outOfOrderUs: def.eventsOutOfOrderMaxDelayInSeconds * 1e6,
      adjust: def.eventsOutOfOrderPolicy === 'Adjust',
      earlyUs: def.emulator.earlyArrivalSeconds * 1e6,
      oooReference: def.emulator.oooReference,
    };
    const cl = def.compatibilityLevel === '1.0' && !def.emulator.cl10DatetimeAutoConvert ? '1.1' : def.compatibilityLevel;
    this.fromJson = makeFromJson(def.compatibilityLevel === '1.0' && !def.emulator.cl10DatetimeAutoConvert ? '1.1' : cl);
    for (const [name, inputDef] of Object.entries(def.inputs)) {
      this.inputs.set(name.toLowerCase(), { name, def: inputDef, sources: [] });
      if (inputDef.kind === 'reference') this.refTables.set(name.toLowerCase(), this.toRows(options.referenceData?.[name] ?? []));
    }
    const script = parseQuery(def.query, def.queryFile);
    for (const ct of script.createTables) {
      const input = this.inputs.get(ct.name.toLowerCase());
      if (!input) this.fail(`CREATE TABLE ${ct.name}: there is no input of that name`, ct.pos);
      if (input.schema) this.fail(`CREATE TABLE ${ct.name} is given twice`, ct.pos);
      input.schema = ct.columns.map((c) => ({ name: c.name, lname: c.name.toLowerCase(), type: c.type }));
    }
    for (const cte of script.ctes) {
      const lname = cte.name.toLowerCase();
      if (this.ctes.has(lname) || this.inputs.has(lname))
        this.fail(`step '${cte.name}' is defined twice or has the name of an input`, cte.pos);
      this.ctes.set(lname, this.buildQuery(cte.query, cte.name));
    }
    script.statements.forEach((q, i) => {
      const intos = new Set(q.selects.map((s) => s.into?.name.toLowerCase() ?? 'output'));
      if (intos.size > 1) this.fail('all parts of a UNION must write to the same output', q.pos);
      const into = q.selects[0].into;
      const alias = into?.name ?? 'output';
      const stream = this.buildQuery(q, `statement${i + 1}`);
      this.connectOutput(alias, stream, into?.pos ?? q.pos);
    });
    this.state = 'Running';
  }

  // ---- binding -----------------------------------------------------------------------------------

  private fail(msg: string, pos: SourcePos): never {
    throw new UserError(msg, { file: this.file, line: pos.line, column: pos.column });
  }

  private unsupported(feature: string, pos: SourcePos): never {
    throw new NotSupportedError(feature, { file: this.file, line: pos.line, column: pos.column });
  }

  private toRows(records: Record<string, unknown>[]): Row[] {
    return records.map((r) => new Row(r, 0, 0, true, null));
  }

  private connectOutput(alias: string, stream: Stream, pos: SourcePos): void {
    const def = this.definition;
    let sink = this.sinks.get(alias.toLowerCase());
    if (!sink) {
      const declared = Object.entries(def.outputs).find(([n]) => n.toLowerCase() === alias.toLowerCase());
      if (!declared && Object.keys(def.outputs).length > 0)
        this.fail(`output '${alias}' is not defined in the job (outputs: ${Object.keys(def.outputs).join(', ')})`, pos);
      const outDef = declared?.[1] ?? { kind: 'listener' as const };
      if (outDef.kind === 'blob') {
        if (!this.options.store) throw new UserError(`output '${alias}' writes to Blob storage but no object store was given`);
        sink = new BlobOutput(outDef, this.options.store, `${def.name}/${alias}/${this.options.seed ?? 0}`, {
          csvHeader: def.emulator.csvHeader,
          pathTime: def.emulator.pathTime,
        });
      } else sink = outDef.kind === 'memory' ? new MemoryOutput() : new ListenerOutput();
      this.sinks.set(alias.toLowerCase(), sink);
      this.outputAliases.push(declared?.[0] ?? alias);
    }
    const theSink = sink;
    const name = declared(this.outputAliases, alias);
    const metrics = this.metricsData;
    const listeners = this.listeners;
    // CustomTime: rows stamped before the output start time are computed but not written (spec §3.8).
    const startUs = def.outputStartMode === 'CustomTime' && def.outputStartTime ? (parseDateTime(def.outputStartTime)?.us ?? -Infinity) : -Infinity;
    this.outStreams.push(stream);
    stream.consumers.push({
      onRow: (row) => {
        const r = row as Row;
        if (r.ts < startUs) return;
        metrics.OutputEvents++;
        theSink.write(r, this.nowUs);
        for (const l of listeners) l(name, r);
      },
      onWatermark: () => {},
    });
  }

  private buildQuery(q: Query, name: string): Stream {
    const outs = q.selects.map((core, i) => {
      const out = new Stream(q.selects.length > 1 ? `${name}#${i + 1}` : name);
      this.buildCore(core, out, name);
      return out;
    });
    return outs.length === 1 ? outs[0] : new UnionStream(name, outs);
  }

  private env(aliases: AliasInfo[], mode: CompileEnv['mode'], clause: string, extra: Partial<CompileEnv> = {}): CompileEnv {
    const def = this.definition;
    return {
      file: this.file,
      cl: def.compatibilityLevel,
      aliases,
      mode,
      castFailure: def.emulator.castFailure,
      onCastFailureCounted: () => {
        this.metricsData.RuntimeErrors++;
      },
      onMissingField: (field) => {
        this.metricsData.MissingFieldWarnings++;
        this.missingFields.add(field);
      },
      clause,
      strictCase: def.emulator.strictCase,
      ...extra,
    };
  }

  /** Resolves a FROM/JOIN source to a stream (input or step) or a reference table. */
  private resolveSource(ref: SourceRef, aliasIndex: number): { stream?: Stream; table?: Row[]; refName?: string } {
    const lname = ref.name.toLowerCase();
    const cte = this.ctes.get(lname);
    if (cte) {
      if (ref.timestampBy) this.fail('TIMESTAMP BY is only allowed on inputs, not on steps', ref.pos);
      return { stream: cte };
    }
    const input = this.inputs.get(lname);
    if (!input) {
      const known = [...[...this.inputs.values()].map((i) => i.name), ...this.ctes.keys()];
      this.fail(`'${ref.name}' is not an input or an earlier step of the query${known.length ? ` (known: ${known.join(', ')})` : ''}`, ref.pos);
    }
    if (input.def.kind === 'reference') {
      if (aliasIndex === 0) this.fail(`reference data input '${ref.name}' can only be used on the right side of a JOIN`, ref.pos);
      if (ref.timestampBy) this.fail('TIMESTAMP BY is not allowed on reference data', ref.pos);
      return { table: this.refTables.get(lname)!, refName: lname };
    }
    if (ref.timestampBy?.over) this.unsupported('TIMESTAMP BY … OVER (substreams)', ref.timestampBy.over[0].pos);
    const alias = ref.alias ?? ref.name;
    let tsFn: ((row: Row) => Value) | undefined;
    if (ref.timestampBy) {
      const e = ref.timestampBy.expr;
      if (e.kind === 'timestamp') this.fail('System.Timestamp() is not allowed in TIMESTAMP BY', e.pos);
      tsFn = compileExpr(this.env([{ name: alias, lname: alias.toLowerCase(), kind: 'stream' }], 'row', 'TIMESTAMP BY'), e);
    }
    const declared = input.def.partitionIds ?? [];
    const source = new SourceStream(`${input.name}`, this.policy, this.metricsData, tsFn, declared);
    input.sources.push(source);
    this.sources.push(source);
    return { stream: source };
  }

  private buildCore(core: SelectCore, out: Stream, stepName: string): void {
    const refs = [core.from, ...core.joins.map((j) => j.source)];
    const aliases: AliasInfo[] = [];
    const resolved = refs.map((ref, i) => {
      const alias = ref.alias ?? ref.name;
      if (aliases.some((a) => a.lname === alias.toLowerCase())) this.fail(`alias '${alias}' is used twice; give each source its own alias`, ref.pos);
      const r = this.resolveSource(ref, i);
      aliases.push({ name: alias, lname: alias.toLowerCase(), kind: r.table ? 'reference' : 'stream' });
      return r;
    });
    const mode: 'row' | 'join' = refs.length > 1 ? 'join' : 'row';
    const desc: StepDescription = {
      name: stepName,
      partitioned: !!core.from.partitionBy,
      kind: core.joins.length ? (resolved.slice(1).every((r) => r.table) ? 'referenceJoin' : 'join') : core.where ? 'filter' : 'passthrough',
    };
    if (core.from.partitionBy) {
      const pb = core.from.partitionBy;
      if (!(pb.length === 1 && pb[0].kind === 'column' && pb[0].parts.length === 1 && pb[0].parts[0].toLowerCase() === 'partitionid'))
        this.unsupported('PARTITION BY on anything but PartitionId', pb[0].pos);
    }

    // ---- the tail: aggregation or projection, then the step output
    const emit: Operator = new EmitOp(out);
    const groupBy = core.groupBy;
    const selectHasAgg = core.items.some((it) => it.expr.kind !== 'star' && containsAggregate(it.expr));
    let tail: Operator;
    const stateful: Operator[] = [];
    if (groupBy || selectHasAgg || core.having) {
      if (!groupBy) this.fail('aggregates need GROUP BY with a window or System.Timestamp()', core.pos);
      if (core.where && containsAggregate(core.where)) this.fail('aggregates are not allowed in WHERE (use HAVING)', core.where.pos);
      const partitioned = !!core.from.partitionBy && core.joins.length === 0 && resolved[0].stream instanceof SourceStream;
      // Built once now so every binder error surfaces before the job runs; PARTITION BY builds more per partition.
      const build = () => this.buildAggregate(core, groupBy, aliases, mode, emit, desc);
      const first = build();
      let firstUsed = false;
      tail = partitioned
        ? new PartitionedAggregateOp(() => {
            if (firstUsed) return build();
            firstUsed = true;
            return first;
          })
        : first;
      if (partitioned) (resolved[0].stream as SourceStream).partitionAware = true;
      stateful.push(tail);
    } else {
      const project = this.buildProjection(core, this.env(aliases, mode, 'SELECT'));
      tail = new ProjectOp(project, emit);
    }
    if (core.where) tail = new FilterOp(compileExpr(this.env(aliases, mode, 'WHERE'), core.where), tail);

    // ---- joins, last to first
    const routes = new Map<Stream, ((row: AnyRow) => void)[]>();
    const addRoute = (s: Stream, f: (row: AnyRow) => void) => {
      const list = routes.get(s);
      if (list) list.push(f);
      else routes.set(s, [f]);
    };
    const floors: Operator[] = [];
    for (let k = core.joins.length; k >= 1; k--) {
      const join = core.joins[k - 1];
      const onEnv = this.env(aliases.slice(0, k + 1), 'join', 'ON');
      const on = compileExpr(onEnv, join.on);
      const r = resolved[k];
      if (r.table) {
        const equi = this.findEquiJoin(join.on, k, onEnv);
        const op = new ReferenceJoinOp(r.table, k, join.type === 'left', on, equi, tail);
        this.refJoins.push({ name: r.refName!, op });
        tail = op;
      } else {
        const bound = this.findTemporalBound(join.on, k, aliases, join.pos);
        desc.joinSpanUs = Math.max(desc.joinSpanUs ?? 0, bound.maxDeltaUs - bound.minDeltaUs);
        const op = new StreamJoinOp(k, join.type === 'left', bound, on, tail);
        addRoute(r.stream!, (row) => op.pushRight(row as Row));
        floors.push(op);
        stateful.push(op);
        tail = op;
      }
    }
    const head = tail;
    addRoute(resolved[0].stream!, (row) => head.push(row));
    const inputs = resolved.filter((r) => r.stream).map((r) => r.stream!);
    const step = new Step(out, inputs, routes, head);
    step.floors.push(...floors);
    step.stateful.push(...stateful);
    this.allSteps.push(step);
    this.steps.push(desc);
  }

  /** `a.x = ref.y` terms of ON give the reference join a hash index. */
  private findEquiJoin(on: Expr, refIndex: number, env: CompileEnv): { leftFn: Evaluator; refFn: Evaluator } | undefined {
    const terms = conjuncts(on);
    const refAlias = env.aliases[refIndex].lname;
    const side = (e: Expr) => (e.kind === 'column' ? (e.parts[0].toLowerCase() === refAlias ? 'ref' : 'left') : 'other');
    for (const t of terms) {
      if (t.kind !== 'binary' || t.op !== '=') continue;
      const a = side(t.left);
      const b = side(t.right);
      if (a === 'left' && b === 'ref') return { leftFn: compileExpr(env, t.left), refFn: compileExpr(env, t.right) };
      if (a === 'ref' && b === 'left') return { leftFn: compileExpr(env, t.right), refFn: compileExpr(env, t.left) };
    }
    return undefined;
  }

  /** Finds `DATEDIFF(unit, A, B) BETWEEN lo AND hi` (or comparisons) relating the new alias to an earlier one. */
  private findTemporalBound(on: Expr, k: number, aliases: AliasInfo[], pos: SourcePos): TemporalBound {
    const terms = conjuncts(on);
    const aliasIdx = (e: Expr) =>
      e.kind === 'column' && e.parts.length === 1 ? aliases.findIndex((a) => a.lname === e.parts[0].toLowerCase()) : -1;
    const lit = (e: Expr): number | undefined =>
      e.kind === 'literal' && (typeof e.value === 'bigint' || typeof e.value === 'number') ? Number(e.value) : undefined;
    let lo = -Infinity;
    let hi = Infinity;
    let unitUs = 0;
    let other = -1;
    let forward = true;
    const useDiff = (d: Expr): boolean => {
      if (d.kind !== 'call' || d.name.toLowerCase() !== 'datediff' || d.args.length !== 3) return false;
      const a = aliasIdx(d.args[1]);
      const b = aliasIdx(d.args[2]);
      if (a < 0 || b < 0 || (a !== k && b !== k) || a === b) return false;
      const unitWord = d.args[0].kind === 'column' ? d.args[0].parts[0] : '';
      const u = windowUnitUs(unitWord);
      if (!u) {
        if (parseDatePart(unitWord)) this.unsupported(`DATEDIFF(${unitWord}, …) as a JOIN time bound (use day or a smaller unit)`, d.pos);
        this.fail(`DATEDIFF needs a date part, got '${unitWord}'`, d.pos);
      }
      unitUs = u;
      other = a === k ? b : a;
      forward = b === k; // DATEDIFF(unit, earlier alias, new alias) measures new − earlier
      return true;
    };
    for (const t of terms) {
      if (t.kind === 'between' && !t.not && useDiff(t.expr)) {
        const l = lit(t.lo);
        const h = lit(t.hi);
        if (l === undefined || h === undefined) this.fail('the DATEDIFF bounds of a JOIN must be numbers', t.pos);
        lo = Math.max(lo, l);
        hi = Math.min(hi, h);
      } else if (t.kind === 'binary' && ['<', '<=', '>', '>=', '='].includes(t.op)) {
        let diffSide: Expr | undefined;
        let n: number | undefined;
        let op = t.op;
        if (useDiff(t.left)) {
          diffSide = t.left;
          n = lit(t.right);
        } else if (useDiff(t.right)) {
          diffSide = t.right;
          n = lit(t.left);
          op = op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
        }
        if (!diffSide) continue;
        if (n === undefined) this.fail('the DATEDIFF bounds of a JOIN must be numbers', t.pos);
        if (op === '<') hi = Math.min(hi, n - 1);
        else if (op === '<=') hi = Math.min(hi, n);
        else if (op === '>') lo = Math.max(lo, n + 1);
        else if (op === '>=') lo = Math.max(lo, n);
        else {
          lo = Math.max(lo, n);
          hi = Math.min(hi, n);
        }
      }
    }
    if (other < 0 || !Number.isFinite(lo) || !Number.isFinite(hi))
      this.fail(
        `a JOIN between streams must bound time with DATEDIFF(unit, ${aliases[other < 0 ? 0 : other].name}, ${aliases[k].name}) BETWEEN low AND high in ON`,
        pos,
      );
    if ((hi - lo + 1) * unitUs > MAX_WINDOW_US) this.fail('the DATEDIFF span of a JOIN may not exceed 7 days', pos);
    // DATEDIFF counts boundaries crossed, so a count in [lo, hi] allows deltas in ((lo−1)·u, (hi+1)·u).
    const minCount = forward ? lo : -hi;
    const maxCount = forward ? hi : -lo;
    return {
      leftAlias: other,
      minDeltaUs: (minCount - 1) * unitUs,
      maxDeltaUs: (maxCount + 1) * unitUs,
      unmatchedOffsetUs: maxCount * unitUs,
    };
  }

  private outputName(e: Expr, alias: string | undefined, index: number): string {
    const cl10 = this.definition.compatibilityLevel === '1.0';
    let name = alias;
    if (!name) {
      if (e.kind === 'column') name = e.parts[e.parts.length - 1];
      else if (e.kind === 'dquoted') name = e.text;
      else if (e.kind === 'call') name = e.name; // UNVERIFIED: implicit names of unnamed expressions
      else name = `Column${index + 1}`;
    }
    return cl10 ? name.toLowerCase() : name;
  }

  private buildProjection(core: SelectCore, env: CompileEnv): Projector {
    type Item = { kind: 'col'; name: string; fn: Evaluator } | { kind: 'star'; aliasIndex: number };
    const items: Item[] = [];
    const names = new Set<string>();
    core.items.forEach((it, i) => {
      if (it.expr.kind === 'star') {
        if (env.mode === 'agg') this.fail('SELECT * cannot be used with GROUP BY', it.pos);
        const q = it.expr.qualifier;
        if (env.mode === 'join' && !q) this.fail('SELECT * in a JOIN: name the input (alias.*)', it.pos);
        const idx = q ? env.aliases.findIndex((a) => a.lname === q.toLowerCase()) : 0;
        if (idx < 0) this.fail(`'${q}' is not an input alias of this SELECT`, it.pos);
        items.push({ kind: 'star', aliasIndex: idx });
        return;
      }
      const name = this.outputName(it.expr, it.alias, i);
      if (names.has(name.toLowerCase())) this.fail(`the output column '${name}' is defined twice`, it.pos);
      names.add(name.toLowerCase());
      items.push({ kind: 'col', name, fn: compileExpr(env, it.expr) });
    });
    const cl10 = this.definition.compatibilityLevel === '1.0';
    const fromJson = this.fromJson;
    const join = env.mode === 'join';
    const expandStar = (o: Record<string, unknown>, r: Row | null) => {
      if (!r) return;
      for (const k in r.rec) putColumn(o, cl10 ? k.toLowerCase() : k, r.raw ? fromJson(r.rec[k]) : r.rec[k]);
      if (r.meta) {
        // Event Hub columns come after the payload, in this order (spec §4.1)
        o[cl10 ? 'eventprocessedutctime' : 'EventProcessedUtcTime'] = new DateTime(r.meta.processedUs);
        o[cl10 ? 'partitionid' : 'PartitionId'] = BigInt(r.meta.partitionId);
        o[cl10 ? 'eventenqueuedutctime' : 'EventEnqueuedUtcTime'] = new DateTime(r.meta.enqueuedUs);
      }
    };
    if (items.every((it) => it.kind === 'col')) {
      const cols = items as { name: string; fn: Evaluator }[];
      const n = cols.length;
      const built = recordBuilder(
        cols.map((c) => c.name),
        cols.map((c) => c.fn),
      );
      if (built) return built as Projector;
      return (row) => {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) putColumn(o, cols[i].name, cols[i].fn(row));
        return o;
      };
    }
    return (row) => {
      const o: Record<string, unknown> = {};
      for (const it of items) {
        if (it.kind === 'col') putColumn(o, it.name, it.fn(row));
        else expandStar(o, join ? (row as JoinRow).parts[it.aliasIndex] : (row as Row));
      }
      return o;
    };
  }

  private windowDuration(e: Expr, expected: string): number {
    if (e.kind !== 'call' || e.name.toLowerCase() !== expected || e.args.length !== 2)
      this.fail(`expected ${expected.toUpperCase()}(unit, size)`, e.pos);
    return this.unitSize(e.args[0], e.args[1], expected === 'offset');
  }

  private unitSize(unitExpr: Expr, sizeExpr: Expr, allowNegative = false): number {
    const unitWord = unitExpr.kind === 'column' && unitExpr.parts.length === 1 ? unitExpr.parts[0] : '';
    const u = windowUnitUs(unitWord);
    if (!u) this.fail(`'${unitWord || '?'}' is not a window time unit (day, hour, minute, second, millisecond, microsecond)`, unitExpr.pos);
    if (sizeExpr.kind !== 'literal' || typeof sizeExpr.value !== 'bigint') this.fail('window sizes must be integer literals', sizeExpr.pos);
    const n = Number(sizeExpr.value);
    if (!allowNegative && n <= 0) this.fail('window sizes must be positive', sizeExpr.pos);
    const us = n * u;
    if (Math.abs(us) > MAX_WINDOW_US) this.fail('the maximum window size is 7 days', sizeExpr.pos);
    return us;
  }

  /** Alignment of window ends: multiples of `periodUs` counted from the configured epoch, plus the offset. */
  private alignment(periodUs: number, offsetUs: number): number {
    if (this.definition.emulator.windowEpoch === 'unix') return offsetUs;
    const p = BigInt(periodUs);
    const t0 = Number(((DOTNET_EPOCH_US % p) + p) % p);
    return t0 + offsetUs;
  }

  private buildAggregate(
    core: SelectCore,
    groupBy: Expr[],
    aliases: AliasInfo[],
    innerMode: 'row' | 'join',
    next: Operator,
    desc: StepDescription,
  ): Operator {
    const windows = groupBy.filter((g) => g.kind === 'call' && (WINDOW_NAMES[g.name.toLowerCase()] || g.name.toLowerCase() === 'windows'));
    const timestampKeys = groupBy.filter((g) => g.kind === 'timestamp');
    if (windows.length > 1) this.fail('only one window is allowed in GROUP BY (several windows need Windows(), not supported)', windows[1].pos);
    const win = windows[0] as Extract<Expr, { kind: 'call' }> | undefined;
    if (win && win.name.toLowerCase() === 'windows') this.unsupported('Windows()', win.pos);
    if (!win && timestampKeys.length === 0) this.fail('GROUP BY needs a window (TumblingWindow, HoppingWindow, SlidingWindow, SessionWindow) or System.Timestamp()', groupBy[0].pos);
    for (const g of groupBy) if (g !== win && g.kind !== 'timestamp' && containsAggregate(g)) this.fail('aggregates are not allowed in GROUP BY', g.pos);
    const snapshot = !win;
    const keyExprs = groupBy.filter((g) => g !== win && !(snapshot && g.kind === 'timestamp'));
    const innerEnv = this.env(aliases, innerMode, 'GROUP BY');
    for (const k of keyExprs) if (k.kind === 'call' && k.name.toLowerCase() !== 'windows' && WINDOW_NAMES[k.name.toLowerCase()]) this.fail('only one window is allowed', k.pos);
    const keyFns = keyExprs.map((k) => compileExpr(innerEnv, k));
    const slots: AggSlot[] = [];
    const aggEnv = this.env(aliases, 'agg', 'SELECT', {
      innerMode,
      groupKeys: keyExprs.map((k) => canonical(innerEnv, k)),
      aggSlots: slots,
    });
    const project = this.buildProjection(core, aggEnv);
    const having = core.having ? compileExpr({ ...aggEnv, clause: 'HAVING' }, core.having) : undefined;
    const cheap = keyExprs.map((k, i) => compileHashKey(innerEnv, k, keyFns[i]));
    const hashKeyFns = cheap.map((f, i) => f ?? keyFns[i]);
    const rawKeys = cheap.map((f) => f !== undefined);
    const parts: AggregateParts = { keyFns, hashKeyFns, rawKeys, slots, having, project: project as (r: AggRow) => Record<string, unknown> };
    desc.kind = 'windowAggregate';
    if (snapshot) {
      desc.window = 'snapshot';
      desc.windowUs = 0;
      return new WindowAggregateOp(snapshotAssigner, parts, next);
    }
    const kind = WINDOW_NAMES[win.name.toLowerCase()];
    desc.window = kind;
    const a = win.args;
    const isDurationForm = a[0]?.kind === 'call';
    switch (kind) {
      case 'tumbling': {
        let size: number;
        let offset = 0;
        if (isDurationForm) {
          size = this.windowDuration(a[0], 'duration');
          if (a[1]) offset = this.windowDuration(a[1], 'offset');
          if (a.length > 2) this.fail('TumblingWindow takes (Duration(…)[, Offset(…)])', win.pos);
        } else {
          if (a.length < 2 || a.length > 3) this.fail('TumblingWindow takes (unit, size[, offset])', win.pos);
          size = this.unitSize(a[0], a[1]);
          if (a[2]) offset = this.unitSize(a[0], a[2], true);
        }
        desc.windowUs = size;
        return new WindowAggregateOp(hoppingAssigner(size, size, this.alignment(size, offset)), parts, next);
      }
      case 'hopping': {
        let size: number;
        let hop: number;
        let offset = 0;
        if (isDurationForm) {
          size = this.windowDuration(a[0], 'duration');
          if (!a[1]) this.fail('HoppingWindow takes (Duration(…), Hop(…)[, Offset(…)])', win.pos);
          hop = this.windowDuration(a[1], 'hop');
          if (a[2]) offset = this.windowDuration(a[2], 'offset');
        } else {
          if (a.length < 3 || a.length > 4) this.fail('HoppingWindow takes (unit, size, hop[, offset])', win.pos);
          size = this.unitSize(a[0], a[1]);
          hop = this.unitSize(a[0], a[2]);
          if (a[3]) offset = this.unitSize(a[0], a[3], true);
        }
        if (hop > size) this.fail('the hop of a HoppingWindow may not exceed its size', win.pos);
        desc.windowUs = size;
        return new WindowAggregateOp(hoppingAssigner(size, hop, this.alignment(hop, offset)), parts, next);
      }
      case 'sliding': {
        const size = isDurationForm ? this.windowDuration(a[0], 'duration') : a.length === 2 ? this.unitSize(a[0], a[1]) : this.fail('SlidingWindow takes (unit, size)', win.pos);
        desc.windowUs = size;
        return new SlidingAggregateOp(size, parts, next);
      }
      case 'session': {
        let timeout: number;
        let maxDur: number;
        if (isDurationForm) {
          timeout = this.windowDuration(a[0], 'timeout');
          if (!a[1]) this.fail('SessionWindow takes (Timeout(…), MaxDuration(…))', win.pos);
          maxDur = this.windowDuration(a[1], 'maxduration');
        } else {
          if (a.length !== 3) this.fail('SessionWindow takes (unit, timeout, maxDuration)', win.pos);
          timeout = this.unitSize(a[0], a[1]);
          maxDur = this.unitSize(a[0], a[2]);
        }
        if (timeout > maxDur) this.fail('the timeout of a SessionWindow may not exceed its maximum duration', win.pos);
        desc.windowUs = maxDur;
        const partitionFns = (win.over ?? []).map((e) => compileExpr(innerEnv, e));
        return new SessionAggregateOp(timeout, maxDur, this.alignment(maxDur, 0), partitionFns, parts, next);
      }
    }
  }

  // ---- running ------------------------------------------------------------------------------------

  /** Called for every output row (alias, row). Rows are ASA values; use rowToJson for JSON. */
  onOutput(listener: (alias: string, row: Row) => void): void {
    this.listeners.push(listener);
  }

  /** Rows written so far to an in-memory output. */
  outputRows(alias: string): Row[] {
    const sink = this.sinks.get(alias.toLowerCase());
    return sink instanceof MemoryOutput ? sink.rows : [];
  }

  outputJson(alias: string): Record<string, unknown>[] {
    return this.outputRows(alias).map(rowToJson);
  }

  setReferenceData(input: string, records: Record<string, unknown>[]): void {
    const rows = this.toRows(records);
    this.refTables.set(input.toLowerCase(), rows);
    for (const j of this.refJoins) if (j.name === input.toLowerCase()) j.op.setTable(rows);
  }

  private deserialize(body: InputEvent['body'], origin: string | undefined): Record<string, unknown> | Record<string, unknown>[] | null {
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof Uint8Array)) return body as Record<string, unknown>;
    let parsed: unknown = body;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const text = typeof body === 'string' ? body : utf8Decoder.decode(body);
      this.metricsData.InputEventBytes += typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      try {
        parsed = JSON.parse(text);
      } catch {
        // line-separated objects are allowed too
        const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
        try {
          parsed = lines.length > 1 ? lines.map((l) => JSON.parse(l)) : undefined;
        } catch {
          parsed = undefined;
        }
        if (parsed === undefined) {
          this.dataError('InputDeserializerError.InvalidData', `could not parse JSON: ${text.slice(0, 60)}`, origin);
          return null;
        }
      }
    }
    if (Array.isArray(parsed)) {
      if (!parsed.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) {
        this.dataError('InputDeserializerError.InvalidData', 'Json input stream should either be an array of objects or line separated objects', origin);
        return null;
      }
      return parsed as Record<string, unknown>[];
    }
    if (parsed === null || typeof parsed !== 'object') {
      this.dataError('InputDeserializerError.InvalidData', 'Json input stream should either be an array of objects or line separated objects', origin);
      return null;
    }
    return [parsed as Record<string, unknown>];
  }

  /**
   * CREATE TABLE: declared columns are converted to their types at ingress (without precision loss); an event
   * that does not convert is dropped as an InputDeserializerError.TypeConversionError [R:create-table]. At CL 1.1+
   * NaN/Infinity floats are filtered too. A declared column missing from the event is NULL (UNVERIFIED).
   * Converted records hold ASA values, so their Rows are not marked raw.
   */
  private applySchema(schema: NonNullable<InputNode['schema']>, recs: Record<string, unknown>[], origin: string | undefined): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const cl10 = this.definition.compatibilityLevel === '1.0';
    next: for (const rec of recs) {
      const conv: Record<string, unknown> = {};
      for (const k in rec) putColumn(conv, cl10 ? k.toLowerCase() : k, this.fromJson(rec[k]));
      for (const col of schema) {
        const key = Object.keys(conv).find((k) => k.toLowerCase() === col.lname);
        const v = key === undefined ? null : (conv[key] as Value);
        let c: Value;
        try {
          c = v === null ? null : castValue(v, col.type);
          if (col.type === 'bigint' && typeof v === 'number' && !Number.isInteger(v)) throw new CastError('precision loss');
        } catch {
          this.dataError('InputDeserializerError.TypeConversionError', `column ${col.name}: cannot convert ${JSON.stringify(v, jsonReplacer)} to ${col.type}`, origin);
          continue next;
        }
        if (typeof c === 'number' && !Number.isFinite(c) && !cl10) {
          this.dataError('InputDeserializerError.InvalidData', `column ${col.name}: ${c} is filtered at compatibility level ${this.definition.compatibilityLevel}`, origin);
          continue next;
        }
        putColumn(conv, key ?? col.name, c);
      }
      out.push(conv);
    }
    return out;
  }

  private dataError(type: string, message: string, origin: string | undefined): void {
    this.metricsData.InputDeserializationErrors++;
    if (this.dataErrors.length < 20) this.dataErrors.push({ type, message, origin });
  }

  private runtimeError(err: unknown): void {
    if (!(err instanceof QueryRuntimeError)) throw err;
    this.metricsData.RuntimeErrors++;
    if (err.kind === 'CastFailure') {
      // "A CAST failure fails and causes the job to stop" (spec §2.6)
      this.state = 'Failed';
      this.failure = { message: err.message, origin: this.currentOrigin };
    } else if (this.dataErrors.length < 20) this.dataErrors.push({ type: `RuntimeError.${err.kind}`, message: err.message, origin: this.currentOrigin });
  }

  /** Pushes one Event Hub message (arrival order). Ignored once the job is stopped or failed. */
  push(inputName: string, event: InputEvent): void {
    if (this.state !== 'Running') return;
    let input = this.lastInput;
    if (!input || input.name !== inputName) {
      input = this.inputs.get(inputName.toLowerCase());
      if (input && input.name === inputName) this.lastInput = input;
    }
    if (!input) throw new UserError(`unknown input '${inputName}' (inputs: ${[...this.inputs.values()].map((i) => i.name).join(', ')})`);
    if (input.def.kind !== 'stream') throw new UserError(`input '${input.name}' is reference data; use setReferenceData`);
    const arrivalUs = Math.round(event.enqueuedTime * 1000);
    if (!Number.isFinite(arrivalUs)) throw new UserError(`event enqueued time is not a number`, { field: 'enqueuedTime' });
    const pid = typeof event.partitionId === 'number' ? event.partitionId : Number(event.partitionId);
    this.metricsData.InputSourcesReceived++;
    this.currentOrigin = event.origin;
    let records = this.deserialize(event.body, event.origin);
    if (!records) return;
    if (input.schema) {
      records = this.applySchema(input.schema, Array.isArray(records) ? records : [records], event.origin);
      if (records.length === 0) return;
    }
    const clockMoved = arrivalUs > this.nowUs;
    if (clockMoved) this.nowUs = arrivalUs;
    const meta: EventMeta = {
      enqueuedUs: arrivalUs,
      processedUs: this.nowUs,
      partitionId: pid,
      offset: event.offset,
      sequenceNumber: event.sequenceNumber,
      properties: event.properties,
      origin: event.origin,
    };
    try {
      const srcs = input.sources;
      if (!Array.isArray(records)) {
        this.metricsData.InputEvents++;
        for (let i = 0; i < srcs.length; i++) {
          srcs[i].onEvent(new Row(records, 0, pid, !input.schema, meta));
          if (this.state !== 'Running') return;
        }
      } else
        for (const rec of records) {
          this.metricsData.InputEvents++;
          for (let i = 0; i < srcs.length; i++) {
            srcs[i].onEvent(new Row(rec, 0, pid, !input.schema, meta));
            if (this.state !== 'Running') return;
          }
        }
      if (clockMoved && this.sources.length > input.sources.length)
        for (const s of this.sources) if (!input.sources.includes(s)) s.advanceClock(this.nowUs);
    } catch (err) {
      this.runtimeError(err);
    }
  }

  /** Moves the arrival clock (virtual time) without events: idle partitions progress, batches time out. */
  advanceTo(time: EpochMs): void {
    if (this.state !== 'Running') return;
    const us = time * 1000;
    if (us > this.nowUs) this.nowUs = us;
    try {
      for (const s of this.sources) s.advanceClock(this.nowUs);
    } catch (err) {
      this.runtimeError(err);
    }
    for (const sink of this.sinks.values()) sink.tick(this.nowUs);
  }

  /** End of input: flush every window (flushAtEnd) and close the outputs. */
  end(): void {
    if (this.state === 'Running') {
      this.currentOrigin = undefined;
      try {
        if (this.definition.emulator.flushAtEnd) for (const s of this.sources) s.finish();
      } catch (err) {
        this.runtimeError(err);
      }
      if (this.state === 'Running') this.state = 'Stopped';
    }
    for (const sink of this.sinks.values()) sink.close();
  }

  /** Waits for queued Blob writes. */
  async drain(): Promise<void> {
    for (const sink of this.sinks.values()) await sink.drain();
  }

  /** Open groups and buffered events across all stateful operators (memory driver of the SU model). */
  stateSize(): number {
    let n = 0;
    for (const step of this.allSteps) for (const op of step.stateful) n += op.stateSize?.() ?? 0;
    for (const s of this.sources) n += s.bufferedEvents();
    return n;
  }

  /** Azure-named metrics as running totals; WatermarkDelay is computed against the arrival clock. */
  metrics(): JobMetrics {
    const m = { ...this.metricsData };
    let wm = Infinity;
    for (const s of this.outStreams) if (s.wm < wm) wm = s.wm;
    m.WatermarkDelay = Number.isFinite(this.nowUs) && Number.isFinite(wm) ? Math.max(0, (this.nowUs - wm) / 1e6) : 0;
    m.ResourceUtilization = this.resourceUtilization();
    return m;
  }

  /** SU % from the capacity model's memory terms for the state held right now (spec §6.2). */
  resourceUtilization(params: CapacityParams = DEFAULT_CAPACITY_PARAMS): number {
    const sku = this.definition.sku;
    let v1: number;
    try {
      v1 = v1Equivalent(sku);
    } catch {
      return 0;
    }
    let partitions = 0;
    for (const s of this.sources) partitions += s.partitionCount();
    const memory = params.baseMemoryFraction * params.memoryBytesPerV1 * v1 + this.stateSize() * params.bytesPerGroup + partitions * params.partitionBufferBytes;
    return Math.min(100, (memory / (params.memoryBytesPerV1 * v1)) * 100);
  }

  /** The arrival clock (ms). */
  now(): EpochMs {
    return this.nowUs / 1000;
  }
}

function declared(aliases: string[], alias: string): string {
  return aliases.find((a) => a.toLowerCase() === alias.toLowerCase()) ?? alias;
}

/** The terms of an AND chain (`a AND (b AND c)` → [a, b, c]): ON clauses are searched term by term. */
function conjuncts(e: Expr, into: Expr[] = []): Expr[] {
  if (e.kind === 'binary' && e.op === 'AND') {
    conjuncts(e.left, into);
    conjuncts(e.right, into);
  } else into.push(e);
  return into;
}
