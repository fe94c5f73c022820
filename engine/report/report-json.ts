// report.json: the machine-readable summary of one run — the scenario, KPIs, latency, scoring quality,
// the per-slice table, cost, usage and the reconciliation — with non-finite numbers written as null.
import type { RunResult } from '../ports/pipeline.js';
import { isoTime, jsonSafe } from './format.js';

export const REPORT_FORMAT = 'c360-twin/run-report@1';

export interface ReportContext {
  /** The scenario file the run came from, if any. */
  scenarioFile?: string;
  /** The validated scenario document as loaded (all defaults filled in), for the record. */
  scenarioDocument?: unknown;
  /** Matrix combination this run belongs to. */
  combination?: { id: string; overrides: Record<string, unknown> };
  /**
   * Events other clients sent to the hub during the run (paced runs: the front doors are open). Counted
   * by the hub and the job, reported on their own, outside the generator's reconciliation. Left out of
   * the report when the run had no front doors.
   */
  outsideEvents?: number;
}

export interface SliceRow {
  index: number;
  start: string;
  end: string;
  state: string;
  attempts: number;
  finishedAt: string | null;
  deadlineMet: boolean | null;
  newEvents: number;
  profiles: number;
  etlSeconds: number;
  scoreSeconds: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  accuracy: number | null;
  macroF1: number | null;
  cost: number | null;
}

export function sliceRows(result: RunResult): SliceRow[] {
  return result.slices.map((s) => ({
    index: s.index,
    start: isoTime(s.start),
    end: isoTime(s.end),
    state: s.state,
    attempts: s.attempts,
    finishedAt: s.finishedAt !== undefined ? isoTime(s.finishedAt) : null,
    deadlineMet: s.deadlineMet ?? null,
    newEvents: s.newEvents,
    profiles: s.profiles,
    etlSeconds: s.etlMs / 1000,
    scoreSeconds: s.scoreMs / 1000,
    latencyP50Ms: s.latency?.p50 ?? null,
    latencyP95Ms: s.latency?.p95 ?? null,
    latencyP99Ms: s.latency?.p99 ?? null,
    accuracy: s.quality?.accuracy ?? null,
    macroF1: s.quality?.macroF1 ?? null,
    cost: result.cost ? result.cost.perSlice : null,
  }));
}

export function buildReportJson(result: RunResult, context: ReportContext = {}): Record<string, unknown> {
  const definitions = result.series.definitions();
  return jsonSafe({
    format: REPORT_FORMAT,
    scenario: { ...result.scenario, file: context.scenarioFile, document: context.scenarioDocument },
    combination: context.combination,
    target: result.target,
    run: { startedAt: isoTime(result.startedAt), endedAt: isoTime(result.endedAt), durationSeconds: (result.endedAt - result.startedAt) / 1000 },
    kpis: result.kpis,
    latency: result.latency,
    quality: result.quality,
    slices: sliceRows(result),
    cost: result.cost,
    usage: result.usage,
    reconciliation: result.reconciliation,
    ...(context.outsideEvents !== undefined ? { outsideEvents: context.outsideEvents } : {}),
    metrics: {
      file: 'metrics.csv',
      grainSeconds: 1,
      definitions,
      totals: Object.fromEntries(definitions.filter((d) => d.aggregation === 'sum').map((d) => [d.name, result.series.total(d.name)])),
      peaks: Object.fromEntries(definitions.filter((d) => d.aggregation === 'max').map((d) => [d.name, result.series.peak(d.name)])),
    },
    profiles: { file: 'enriched_profiles.csv', count: result.profiles.length },
  }) as Record<string, unknown>;
}
