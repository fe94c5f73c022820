// Normalises a k6 end-of-test summary into one record, whichever of the three shapes it is in:
// handleSummary data, the legacy `--summary-export` file, or the machine-readable summary 1.0.0.
// Hand-validated (this module has no dependencies so it runs under k6 and Node alike).

export type LatencyStat = 'avg' | 'med' | 'p(90)' | 'p(95)' | 'p(99)' | 'max';

export interface NormalizedRun {
  durationSec?: number;
  eventsSent?: number;
  eventsPerSec?: number;
  throttledFrac?: number;
  droppedIterations?: number;
  latencyMs: Partial<Record<LatencyStat, number>>;
  failedThresholds: string[];
  k6Version?: string;
  shape: 'machine-readable' | 'handle-summary' | 'legacy-export';
}

export class SummaryShapeError extends Error {}

type Values = Record<string, number>;
type AnyRecord = Record<string, unknown>;

const isRecord = (v: unknown): v is AnyRecord => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const LATENCY_METRICS = ['http_req_duration{op:send_batch}', 'eh_send_latency', 'http_req_duration'];
const LATENCY_STATS: LatencyStat[] = ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'];

export function parseK6Summary(json: unknown): NormalizedRun {
  if (!isRecord(json)) throw new SummaryShapeError('a k6 summary must be a JSON object');
  if (typeof json.version === 'string' && isRecord(json.results) && Array.isArray(json.results.metrics))
    return parseMachineReadable(json);
  if (!isRecord(json.metrics)) throw new SummaryShapeError('not a k6 summary: no "metrics" object');
  return parseLegacy(json);
}

function parseMachineReadable(json: AnyRecord): NormalizedRun {
  const metrics = new Map<string, Values>();
  for (const m of (json.results as AnyRecord).metrics as unknown[]) {
    if (isRecord(m) && typeof m.name === 'string' && isRecord(m.values)) metrics.set(m.name, m.values as Values);
  }
  const config = isRecord(json.config) ? json.config : {};
  const metadata = isRecord(json.metadata) ? json.metadata : {};
  const durationSec = num(config.duration);
  const eventsSent = num(metrics.get('eh_events_sent')?.count);
  return {
    shape: 'machine-readable',
    durationSec,
    eventsSent,
    eventsPerSec: eventsSent !== undefined && durationSec ? eventsSent / durationSec : undefined,
    throttledFrac: num(metrics.get('eh_throttled')?.rate),
    droppedIterations: num(metrics.get('dropped_iterations')?.count),
    latencyMs: latency((name) => metrics.get(name)),
    failedThresholds: [],
    k6Version: typeof metadata.k6Version === 'string' ? metadata.k6Version : undefined,
  };
}

function parseLegacy(json: AnyRecord): NormalizedRun {
  const raw = json.metrics as AnyRecord;
  // handleSummary data nests values under `values` and thresholds as {ok}; the legacy export flattens
  // values into the metric and stores thresholds as booleans where true means FAILED.
  const handle = Object.values(raw).some((m) => isRecord(m) && isRecord(m.values));
  const valuesOf = (name: string): Values | undefined => {
    const m = raw[name];
    if (!isRecord(m)) return undefined;
    return (handle ? (isRecord(m.values) ? m.values : undefined) : m) as Values | undefined;
  };
  const failedThresholds: string[] = [];
  for (const [name, m] of Object.entries(raw)) {
    if (!isRecord(m) || !isRecord(m.thresholds)) continue;
    for (const [expr, verdict] of Object.entries(m.thresholds)) {
      const failed = handle ? isRecord(verdict) && verdict.ok === false : verdict === true;
      if (failed) failedThresholds.push(`${name}: ${expr}`);
    }
  }
  const state = isRecord(json.state) ? json.state : {};
  const iterations = valuesOf('iterations');
  let durationSec = num(state.testRunDurationMs) !== undefined ? (state.testRunDurationMs as number) / 1000 : undefined;
  if (durationSec === undefined && iterations && num(iterations.count) && num(iterations.rate))
    durationSec = iterations.count / iterations.rate;
  const sent = valuesOf('eh_events_sent');
  const eventsSent = num(sent?.count);
  const throttled = valuesOf('eh_throttled');
  return {
    shape: handle ? 'handle-summary' : 'legacy-export',
    durationSec,
    eventsSent,
    eventsPerSec: num(sent?.rate) ?? (eventsSent !== undefined && durationSec ? eventsSent / durationSec : undefined),
    throttledFrac: num(throttled?.rate) ?? num(throttled?.value),
    droppedIterations: num(valuesOf('dropped_iterations')?.count),
    latencyMs: latency(valuesOf),
    failedThresholds,
  };
}

function latency(valuesOf: (name: string) => Values | undefined): NormalizedRun['latencyMs'] {
  const out: NormalizedRun['latencyMs'] = {};
  const source = LATENCY_METRICS.map(valuesOf).find((v) => v !== undefined);
  if (!source) return out;
  for (const stat of LATENCY_STATS) {
    const v = num(source[stat]);
    if (v !== undefined) out[stat] = v;
  }
  return out;
}
