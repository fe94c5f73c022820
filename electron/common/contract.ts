// The one contract between the UI and the engine. The renderer calls these methods and receives these
// events; in the desktop app they travel over Electron IPC (preload → main → utility process), in
// browser mode over HTTP + server-sent events (engine/server). Both transports validate every call's
// arguments with the same validators, so a compromised or buggy renderer cannot hand the engine
// anything outside this shape.
//
// Plain TypeScript whose only import is its sibling validate.ts: it is loaded by the main process, the preload, the utility process,
// the HTTP server and the renderer alike (VS Code's `common` layer).
import { v, type Validator } from './validate.js';

// ─── Data shapes ─────────────────────────────────────────────────────────────────────────────────

export interface ScenarioProblemDto {
  line: number | null;
  column: number | null;
  field: string | null;
  message: string;
}

export interface ScenarioSummaryDto {
  name: string;
  description: string;
  /** Shipped scenarios are read-only; saving one stores an edited copy in the workspace. */
  readOnly: boolean;
  isMatrix: boolean;
  combinations: number;
  valid: boolean;
}

export interface ScenarioDocumentDto {
  name: string;
  text: string;
  readOnly: boolean;
}

export interface ValidationDto {
  valid: boolean;
  problems: ScenarioProblemDto[];
  isMatrix: boolean;
  combinations: number;
}

export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';
export type JobKind = 'run' | 'matrix' | 'train';

export interface KpisDto {
  [name: string]: number | null;
}

export interface RunSummaryDto {
  id: string;
  kind: JobKind;
  scenario: string;
  status: RunStatus;
  /** Wall-clock ISO times, for the history list. */
  createdAt: string;
  finishedAt: string | null;
  /** 0..1 */
  progress: number;
  error: string | null;
  kpis: KpisDto | null;
  /** Matrix runs: how many combinations. */
  combinations: number;
}

/** One point of the live charts: one interval of scenario time. */
export interface MetricPointDto {
  /** Seconds since the run's start (scenario clock). */
  t: number;
  values: Record<string, number>;
}

export interface SliceDto {
  index: number;
  state: string;
  deadlineMet: boolean | null;
  profiles: number;
  accuracy: number | null;
  macroF1: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  cost: number | null;
}

export interface RunDetailDto extends RunSummaryDto {
  grainSeconds: number;
  points: MetricPointDto[];
  slices: SliceDto[];
  cost: { total: number; perHour: number; currency: string; lines: { item: string; cost: number }[] } | null;
  confusion: number[][] | null;
  profileCount: number;
  /** Matrix runs: one row per combination. */
  matrix: MatrixRowDto[];
}

export interface MatrixRowDto {
  id: string;
  overrides: Record<string, string | number | boolean>;
  kpis: KpisDto;
}

export interface ProfileRowDto {
  customerID: number;
  label: number;
  probabilities: number[];
  actual: number | null;
  age: number | string | null;
  gender: string | null;
  income: string | null;
}

export interface ProfilePageDto {
  total: number;
  offset: number;
  rows: ProfileRowDto[];
  /** Rows per predicted label over the whole (unfiltered) run. */
  labelCounts: number[];
}

export interface CustomerDetailDto {
  customerID: number;
  label: number;
  actual: number | null;
  probabilities: number[];
  features: Record<string, number | string>;
  purchases: { time: string; product: string; amount: number }[];
  /** Browsing seconds per day (sum over the sessions' sampled rows), by category. */
  browsing: { day: string; t1: number; t2: number; t3: number }[];
  /** Why: the features that set this customer apart, weighted by the model's importance. */
  reasons: { feature: string; value: number; mean: number; zScore: number; importance: number; text: string }[];
}

export interface TrainParamsDto {
  trees: number;
  depth: number;
  learningRate: number;
  testFraction: number;
  seed: number;
  /** The labelled profiles to train on; only the original solution's table for now. */
  dataset: 'original';
}

export interface ModelInfoDto {
  id: string;
  createdAt: string;
  source: 'trained' | 'imported' | 'default';
  params: Partial<TrainParamsDto> | null;
  accuracy: number | null;
  macroF1: number | null;
  baselineAccuracy: number | null;
  confusion: number[][] | null;
  perClass: { class: number; precision: number; recall: number; f1: number; support: number }[];
  importance: { feature: string; share: number }[];
  bytes: number;
}

export type EngineEvent =
  | { type: 'job'; job: RunSummaryDto }
  | { type: 'metrics'; jobId: string; points: MetricPointDto[]; grainSeconds: number }
  | { type: 'progress'; jobId: string; progress: number; message: string };

// ─── Methods ─────────────────────────────────────────────────────────────────────────────────────

const id = v.string({ pattern: /^[A-Za-z0-9._-]{1,80}$/ });
const scenarioName = v.string({ pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/ });

/** Every method: its argument validator. Results are typed in `ApiResults`. */
export const METHODS = {
  listScenarios: v.object({}),
  readScenario: v.object({ name: scenarioName }),
  validateScenario: v.object({ text: v.string({ max: 200_000 }) }),
  saveScenario: v.object({ name: scenarioName, text: v.string({ max: 200_000 }) }),
  startRun: v.object({ scenario: scenarioName, speed: v.optional(v.number({ min: 0.1, max: 10_000 })) }),
  stopJob: v.object({ id }),
  listRuns: v.object({ limit: v.optional(v.integer({ min: 1, max: 1000 })) }),
  getRun: v.object({ id, grainSeconds: v.optional(v.integer({ min: 1, max: 3600 })) }),
  deleteRun: v.object({ id }),
  queryProfiles: v.object({
    runId: id,
    search: v.optional(v.string({ max: 100 })),
    label: v.optional(v.integer({ min: 0, max: 3 })),
    offset: v.optional(v.integer({ min: 0, max: 10_000_000 })),
    limit: v.optional(v.integer({ min: 1, max: 1000 })),
    sort: v.optional(v.oneOf(['customerID', 'probability', 'label'] as const)),
  }),
  getCustomer: v.object({ runId: id, customerId: v.integer({ min: 1, max: 100_000_000 }) }),
  trainModel: v.object({
    trees: v.integer({ min: 1, max: 500 }),
    depth: v.integer({ min: 1, max: 12 }),
    learningRate: v.number({ min: 0.001, max: 1 }),
    testFraction: v.number({ min: 0.05, max: 0.5 }),
    seed: v.integer({ min: 0, max: 2 ** 31 - 1 }),
    dataset: v.oneOf(['original'] as const),
  }),
  listModels: v.object({}),
  exportModel: v.object({ id }),
  /** The ONNX file as base64 (IPC and JSON carry text; 20 MB is far above any model here). */
  importModel: v.object({ name: v.string({ max: 200 }), base64: v.string({ max: 28_000_000, pattern: /^[A-Za-z0-9+/=\s]*$/ }) }),
  exportCsv: v.object({ id, kind: v.oneOf(['profiles', 'metrics', 'matrix'] as const) }),
} satisfies Record<string, Validator<unknown>>;

export type MethodName = keyof typeof METHODS;
export type ApiArgs<M extends MethodName> = (typeof METHODS)[M] extends Validator<infer A> ? A : never;

export interface ApiResults {
  listScenarios: ScenarioSummaryDto[];
  readScenario: ScenarioDocumentDto;
  validateScenario: ValidationDto;
  saveScenario: ValidationDto & { name: string };
  startRun: RunSummaryDto;
  stopJob: RunSummaryDto;
  listRuns: RunSummaryDto[];
  getRun: RunDetailDto;
  deleteRun: { deleted: boolean };
  queryProfiles: ProfilePageDto;
  getCustomer: CustomerDetailDto;
  trainModel: RunSummaryDto;
  listModels: ModelInfoDto[];
  exportModel: { filename: string; base64: string };
  importModel: ModelInfoDto;
  exportCsv: { filename: string; text: string };
}

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** The engine side of the contract: what the utility process and the HTTP server host. */
export type ApiHandlers = { [M in MethodName]: (args: ApiArgs<M>) => Promise<ApiResults[M]> };

/** Errors cross process boundaries as data (Electron's `handle` keeps only `message`). */
export interface SerializedError {
  code: 'invalid-argument' | 'not-found' | 'user-error' | 'conflict' | 'internal' | 'unknown-method' | 'forbidden';
  message: string;
  location?: { file?: string; line?: number; column?: number; field?: string };
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Checks a method name and its arguments; returns the validated arguments or the error to send back. */
export function checkCall(method: unknown, args: unknown): { ok: true; method: MethodName; args: unknown } | { ok: false; error: SerializedError } {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(METHODS, method))
    return { ok: false, error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(String(method)).slice(0, 60)}` } };
  const validator = METHODS[method as MethodName] as Validator<unknown>;
  const checked = validator(args ?? {}, method);
  if (!checked.ok) return { ok: false, error: { code: 'invalid-argument', message: checked.message } };
  return { ok: true, method: method as MethodName, args: checked.value };
}

/** IPC channel per method (Electron guidance: one channel per message, never a generic `send`). */
export const CHANNEL_PREFIX = 'c360:';
export const EVENT_CHANNEL = 'c360:event';
export const channelOf = (method: MethodName): string => `${CHANNEL_PREFIX}${method}`;

export const LABEL_NAMES = ['T0 no purchase', 'T1 Technology', 'T2 Apparel', 'T3 Cosmetics'] as const;
