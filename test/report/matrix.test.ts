import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../engine/core/csv.js';
import { runPipeline } from '../../engine/pipeline/run.js';
import { sweptKeys, writeMatrixReport, type MatrixEntry } from '../../engine/report/matrix.js';
import { fixtureTarget, scenario } from '../pipeline/fixtures/target.js';
import { tuSuEntries } from './matrix-example.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'c360-matrix-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('matrix report', () => {
  it('TU × SU: one sub-folder per combination, matrix.csv with overrides and KPIs, heatmaps', async () => {
    const base = path.join(dir, 'tu-su');
    const entries = await tuSuEntries(base);
    const files = await writeMatrixReport(base, 'tu-su', entries);
    const lines = (await readFile(files.csv, 'utf8')).trim().split('\n');
    const header = parseCsvLine(lines[0]);
    expect(header.slice(0, 4)).toEqual(['id', 'folder', 'eventHubs.throughputUnits', 'streamAnalytics.streamingUnits']);
    expect(lines).toHaveLength(5);
    const row = (tu: string, su: string) => parseCsvLine(lines.find((l) => parseCsvLine(l)[2] === tu && parseCsvLine(l)[3] === su)!);
    const col = (name: string) => header.indexOf(name);
    // More TU lets more events in; more SU lets more reach the stream job within the run.
    expect(Number(row('1', '1')[col('eventsAccepted')])).toBeGreaterThan(Number(row('0.3', '1')[col('eventsAccepted')]));
    expect(Number(row('1', '3')[col('peakBacklog')])).toBeLessThan(Number(row('1', '1')[col('peakBacklog')]));
    expect(lines.slice(1).every((l) => parseCsvLine(l)[header.indexOf('unaccounted')] === '0')).toBe(true);
    for (const e of entries) expect(JSON.parse(await readFile(path.join(base, e.folder, 'report.json'), 'utf8')).scenario.name).toBe(e.result.scenario.name);
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('TU × SU');
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('1 TU');
    expect(html).toContain('3 SU');
    expect(html).not.toMatch(/<script|<link/i);
  });

  it('a one-dimensional sweep gets line charts against the swept value', async () => {
    const entries: MatrixEntry[] = [];
    for (const batchSize of [100, 500, 1675]) {
      const s = scenario({ name: `batch-${batchSize}`, customers: 120, sender: { batchSize, intervalMs: 5000, retry: { kind: 'none' } } });
      const result = await runPipeline(s, fixtureTarget(s, { hub: { throughputUnits: 0.1, burstSeconds: 10 } }).target);
      entries.push({ id: `batchSize-${batchSize}`, folder: `batchSize-${batchSize}`, overrides: { 'sender.batchSize': batchSize, seed: 7 }, result });
    }
    expect(sweptKeys(entries)).toEqual(['sender.batchSize']);
    const files = await writeMatrixReport(path.join(dir, 'batch'), 'batch-size-sweep', entries);
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('Sweep over sender.batchSize');
    expect(html).toContain('Throughput vs batchSize');
    expect(html).toContain('Latency vs batchSize');
    expect(html).toContain('Cost per hour vs batchSize');
    // Full 1,675-event batches never fit a 1,000-event bucket: only each session's short last batch gets in.
    const big = entries[2].result;
    expect(big.reconciliation.throttled % 1675).toBe(0);
    expect(big.reconciliation.throttled).toBeGreaterThan(0);
    expect(big.kpis.eventsAccepted).toBeLessThan(2 * 1675);
    expect(entries[0].result.kpis.acceptedShare).toBeGreaterThan(big.kpis.acceptedShare);
  });
});
