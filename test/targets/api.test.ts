// engine/index.ts is the import surface for electron/ and the UI host: a scenario runs through it with
// progress callbacks, and the outcome carries the result, the report files and the reconciliation.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario, runScenario, type ProgressEvent } from '../../engine/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = `name: api-small
seed: 9
generator: { customers: 60, sessions: 2, historyDays: 10 }
sender: { batchSize: 100, intervalSeconds: 5 }
dataFactory: { sliceMinutes: 5 }
matrix:
  eventHubs.throughputUnits: [1, 2]
`;

describe('engine/index.ts', () => {
  it('runs a matrix with progress, writes every report, and accounts for every event', { timeout: 120_000 }, async () => {
    const loaded = parseScenario(TEXT, path.join(dir, 'api-small.yaml'));
    const progress: ProgressEvent[] = [];
    const out = path.join(dir, 'out');
    const outcome = await runScenario(loaded, { out, keepWarehouse: false, onProgress: (p) => progress.push(p) });
    expect(outcome.runs.map((r) => r.id)).toEqual(['throughputUnits-1', 'throughputUnits-2']);
    for (const r of outcome.runs) {
      expect(r.result.reconciliation.unaccounted).toBe(0);
      expect(r.result.reconciliation.sent).toBe(2 * 300);
      expect(r.result.profiles).toHaveLength(60);
      for (const f of Object.values(r.files)) expect(existsSync(f)).toBe(true);
      expect(existsSync(path.join(r.folder, 'warehouse.sqlite'))).toBe(false);
      for (const p of r.result.profiles) expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(existsSync(outcome.matrix!.csv)).toBe(true);
    expect(existsSync(outcome.matrix!.html)).toBe(true);
    expect(outcome.calibration).toBeUndefined();
    // Progress arrives for both runs, in order, within each run's planned span.
    expect(new Set(progress.map((p) => p.run))).toEqual(new Set([1, 2]));
    expect(progress.every((p) => p.runs === 2 && p.now >= p.start && p.plannedEnd === p.start + 10 * 60_000)).toBe(true);
  });

  it('the same scenario and seed give the same run (virtual clock)', { timeout: 120_000 }, async () => {
    const text = TEXT.replace(/matrix:[\s\S]*$/, '');
    const a = await runScenario(parseScenario(text, path.join(dir, 'a.yaml')), { out: path.join(dir, 'a'), keepWarehouse: false });
    const b = await runScenario(parseScenario(text, path.join(dir, 'b.yaml')), { out: path.join(dir, 'b'), keepWarehouse: false });
    expect(b.runs[0].result.kpis).toEqual(a.runs[0].result.kpis);
    expect(b.runs[0].result.profiles).toEqual(a.runs[0].result.profiles);
    expect(b.runs[0].result.series.rows(60)).toEqual(a.runs[0].result.series.rows(60));
  });
});
