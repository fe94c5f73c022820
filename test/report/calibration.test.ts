import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../engine/core/errors.js';
import { runPipeline } from '../../engine/pipeline/run.js';
import { calibrationRow, deviation, withinTolerance, type CalibrationRow } from '../../engine/report/calibration.js';
import { sweptKeys, writeMatrixReport, type MatrixEntry } from '../../engine/report/matrix.js';
import { readReferenceTable } from '../../engine/scenarios/reference.js';
import { repoRoot } from '../helpers/cli.js';
import { fixtureTarget, scenario } from '../pipeline/fixtures/target.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'c360-calibration-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('calibration against the guide table', () => {
  it('reads the shipped reference table', async () => {
    const table = await readReferenceTable(path.join(repoRoot, 'scenarios/reference/guide-scaling-table.csv'));
    expect([...table.keys()]).toEqual([1, 2, 3, 4]);
    expect(table.get(3)).toMatchObject({ tu: 2, su: 1, measuredBatched: 143000, measuredReachedAsa: 128000 });
  });

  it('a bad reference row is a UserError naming file, line and field', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'row,tu,su,measured_batched,measured_reached_asa\n1,1,1,44600,44600\n2,1,x,58000,58000\n');
    const error = await readReferenceTable(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`${file}:3 (su): "x" is not a number`);
  });

  it('writes calibration.csv with the contract columns and a twin-vs-measured section', async () => {
    const reference = await readReferenceTable(path.join(repoRoot, 'scenarios/reference/guide-scaling-table.csv'));
    const entries: MatrixEntry[] = [];
    const rows: CalibrationRow[] = [];
    for (const ref of reference.values()) {
      const s = scenario({ name: `row${ref.row}`, customers: 300, eventHubs: { tier: 'standard', throughputUnits: ref.tu, partitions: 2 }, streamAnalytics: { streamingUnits: ref.su } });
      const result = await runPipeline(s, fixtureTarget(s, { days: 20 }).target);
      entries.push({ id: `row${ref.row}`, folder: `row${ref.row}`, overrides: { 'eventHubs.throughputUnits': ref.tu, 'streamAnalytics.streamingUnits': ref.su, name: `row${ref.row}` }, result });
      rows.push(calibrationRow(`row${ref.row}`, ref, result));
    }
    const files = await writeMatrixReport(dir, 'seed-scaling-table', entries, { calibration: rows });
    const lines = (await readFile(files.calibration!.csv, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('tu,su,measured_batched,twin_batched,measured_reached_asa,twin_reached_asa');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toBe(`2,1,143000,${entries[2].result.kpis.eventsAccepted},128000,${entries[2].result.kpis.eventsReachedStream}`);
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('Calibration: twin vs measured');
    expect(html).toContain('Messages batched into Event Hubs');
    // These fixture runs (a few thousand events) are nowhere near the guide's numbers: flagged, not hidden.
    expect(rows.every((r) => !withinTolerance(r))).toBe(true);
    expect(html).toContain('0 of 4 rows within ±15%');
    // The same section is also a page of its own, next to the csv.
    expect(await readFile(files.calibration!.html, 'utf8')).toContain('0 of 4 rows within ±15% of the guide');
    // Names label combinations; they are not an axis: one set of TU × SU heatmaps (3), the two 1 TU / 1 SU
    // runs averaged, after the two calibration charts (batched, reached ASA).
    expect(sweptKeys(entries)).toEqual(['eventHubs.throughputUnits', 'streamAnalytics.streamingUnits']);
    expect(html.match(/<svg /g)).toHaveLength(5);
  });

  it('deviation and tolerance are relative to the measured value', () => {
    expect(deviation(100, 115)).toBeCloseTo(0.15, 12);
    const row = { id: 'r', row: 1, tu: 1, su: 1, measuredBatched: 100, twinBatched: 114, measuredReachedAsa: 100, twinReachedAsa: 86, note: '' };
    expect(withinTolerance(row)).toBe(true);
    expect(withinTolerance({ ...row, twinReachedAsa: 84 })).toBe(false);
    // Exactly on the band counts as inside.
    expect(withinTolerance({ ...row, twinBatched: 115, twinReachedAsa: 85 })).toBe(true);
  });
});
