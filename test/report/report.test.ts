import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../engine/core/csv.js';
import type { RunResult } from '../../engine/ports/pipeline.js';
import { writeRunReport, type RunReportFiles } from '../../engine/report/write-run.js';
import { exampleRun } from './example-run.js';

let dir: string;
let result: RunResult;
let files: RunReportFiles;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'c360-report-'));
  result = await exampleRun(300);
  files = await writeRunReport(dir, result, { scenarioFile: 'scenarios/example.yaml' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('run report files', () => {
  it('report.json has the scenario, KPIs, per-slice table, cost and reconciliation', async () => {
    const json = JSON.parse(await readFile(files.json, 'utf8'));
    expect(json.format).toBe('c360-twin/run-report@1');
    expect(json.scenario.name).toBe('report-example');
    expect(json.scenario.file).toBe('scenarios/example.yaml');
    expect(json.reconciliation).toEqual(result.reconciliation);
    expect(Object.keys(json.reconciliation).sort()).toEqual(['accepted', 'dropped', 'droppedByReason', 'inFlight', 'sent', 'throttled', 'unaccounted']);
    expect(json.reconciliation.unaccounted).toBe(0);
    expect(json.reconciliation.throttled).toBeGreaterThan(0);
    expect(json.slices).toHaveLength(4);
    expect(json.slices[1]).toMatchObject({ index: 1, state: 'Ready', attempts: 2 });
    expect(json.kpis.eventsSent).toBe(result.reconciliation.sent);
    expect(json.cost.total).toBeGreaterThan(0);
    expect(json.cost.lines.map((l: { item: string }) => l.item)).toContain('Event Hubs TU-hours');
    expect(json.metrics.totals.AcceptedEvents).toBe(result.reconciliation.accepted);
    // No NaN sneaks into JSON as a string or breaks parsing; absent values are null.
    expect(JSON.stringify(json)).not.toMatch(/NaN|Infinity/);
  });

  it('metrics.csv has one row per second of the run with every metric', async () => {
    const lines = (await readFile(files.metrics, 'utf8')).trim().split('\n');
    const header = parseCsvLine(lines[0]);
    expect(header.slice(0, 2)).toEqual(['time', 'elapsed_s']);
    expect(header).toContain('IncomingRequests');
    expect(header).toContain('WatermarkDelay');
    expect(lines.length - 1).toBe(Math.ceil((result.endedAt - result.startedAt) / 1000));
    const accepted = header.indexOf('AcceptedEvents');
    const sum = lines.slice(1).reduce((a, l) => a + Number(parseCsvLine(l)[accepted]), 0);
    expect(sum).toBe(result.reconciliation.accepted);
    expect(parseCsvLine(lines[2])[1]).toBe('1');
  });

  it('enriched_profiles.csv has one row per customer, the prediction columns, and probabilities summing to 1', async () => {
    const lines = (await readFile(files.profiles, 'utf8')).trim().split('\n');
    const header = parseCsvLine(lines[0]);
    expect(header[0]).toBe('customerID');
    expect(header.slice(-5)).toEqual(['label', 'prob_categoryT0', 'prob_categoryT1', 'prob_categoryT2', 'prob_categoryT3']);
    expect(lines.length - 1).toBe(300);
    for (const line of lines.slice(1)) {
      const cells = parseCsvLine(line).map(Number);
      const probs = cells.slice(-4);
      expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      expect(probs.indexOf(Math.max(...probs))).toBe(cells[cells.length - 5]);
    }
  });

  it('report.html is self-contained and has every chart and table', async () => {
    const html = await readFile(files.html, 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    // The only URL is the SVG namespace.
    expect(html.match(/https?:\/\/[^"]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    for (const title of ['Throughput and throttling', 'backlog', 'Watermark delay', 'latency per slice', 'Scoring quality per slice', 'Cost of the run', 'Slice timeline'])
      expect(html).toContain(title);
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(8);
    expect(html).toContain('Enriched customer profiles');
    expect(html.match(/<tr>/g)!.length).toBeGreaterThan(300);
  });
});

describe('a run whose slices miss their deadline', () => {
  it('says so in report.json and report.html instead of failing', async () => {
    const { runPipeline } = await import('../../engine/pipeline/run.js');
    const { fixtureTarget, scenario } = await import('../pipeline/fixtures/target.js');
    const s = scenario({ customers: 60 });
    const late = await runPipeline(s, fixtureTarget(s, { days: 5, durations: { etlMs: () => 20 * 60_000, scoreMs: () => 0 } }).target);
    const out = await mkdtemp(path.join(os.tmpdir(), 'c360-late-'));
    try {
      const written = await writeRunReport(out, late);
      const json = JSON.parse(await readFile(written.json, 'utf8'));
      expect(json.slices.map((x: { deadlineMet: boolean }) => x.deadlineMet)).toEqual([false, false]);
      expect(json.kpis.slicesDeadlineMet).toBe(0);
      const html = await readFile(written.html, 'utf8');
      expect(html).toContain('0 / 2');
      expect(html.match(/<td>NO<\/td>/g)).toHaveLength(2);
      expect(html).toContain('missed deadline');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
