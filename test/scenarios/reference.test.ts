import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadScenarioFile, readReferenceRow, referenceForRun } from '../../engine/scenarios/index.js';
import { repoRoot } from '../helpers/cli.js';

const scenariosDir = path.join(repoRoot, 'scenarios');

describe('reference rows', () => {
  it('every seed-scaling-table run finds its measured row, with matching TU and SU', async () => {
    const loaded = loadScenarioFile(path.join(scenariosDir, 'seed-scaling-table.yaml'));
    const rows = await Promise.all(loaded.runs.map((run) => referenceForRun(loaded, run)));
    expect(rows.map((r) => [r!.tu, r!.su, r!.measuredBatched, r!.measuredReachedAsa])).toEqual([
      [1, 1, 44600, 44600],
      [1, 1, 58000, 58000],
      [2, 1, 143000, 128000],
      [2, 2, 150000, 150000],
    ]);
  });

  it('a run without reference has none', async () => {
    const loaded = loadScenarioFile(path.join(scenariosDir, 'seed-demo.yaml'));
    expect(await referenceForRun(loaded, loaded.runs[0])).toBeUndefined();
  });

  it('a missing row, a bad number, or a row measured at other capacity is a clear error', async () => {
    const table = path.join(scenariosDir, 'reference/guide-scaling-table.csv');
    await expect(readReferenceRow(table, 9)).rejects.toThrow(/guide-scaling-table\.csv \(row\): no row 9/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-ref-'));
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'row,tu,su,measured_batched,measured_reached_asa,note\n1,1,1,lots,1,x\n');
    await expect(readReferenceRow(bad, 1)).rejects.toThrow(/bad\.csv:2 \(measured_batched\): "lots" is not a number/);
    // A scenario whose row 3 (2 TU) is paired with a 1 TU run.
    copyFileSync(table, path.join(dir, 'table.csv'));
    writeFileSync(path.join(dir, 's.yaml'), 'name: s\nreference: { table: table.csv, row: 3 }\n');
    const loaded = loadScenarioFile(path.join(dir, 's.yaml'));
    await expect(referenceForRun(loaded, loaded.runs[0])).rejects.toThrow(/points at reference row 3, which was measured at 2 TU, 1 SU/);
  });
});
