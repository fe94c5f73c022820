// Acceptance: scenarios/seed-scaling-table.yaml reproduces the guide's measured pattern, every row within
// ±15 % of its measurement, and writes calibration.csv / calibration.html (twin vs measured).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runC360 } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-e2e-cal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('c360 run scenarios/seed-scaling-table.yaml', () => {
  it('matches the guide table within ±15 % per row, with the 1 TU / 2 TU / SU pattern', { timeout: 240_000 }, async () => {
    const out = path.join(dir, 'cal');
    const res = await runC360(['run', 'scenarios/seed-scaling-table.yaml', '--out', out, '--quiet']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = readFileSync(path.join(out, 'calibration.csv'), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('tu,su,measured_batched,twin_batched,measured_reached_asa,twin_reached_asa');
    const rows = lines.slice(1).map((l) => {
      const [tu, su, mb, tb, mr, tr] = l.split(',').map(Number);
      return { tu, su, mb, tb, mr, tr };
    });
    expect(rows.map((r) => [r.tu, r.su, r.mb, r.mr])).toEqual([
      [1, 1, 44_600, 44_600],
      [1, 1, 58_000, 58_000],
      [2, 1, 143_000, 128_000],
      [2, 2, 150_000, 150_000],
    ]);
    for (const r of rows) {
      expect(Math.abs(r.tb - r.mb) / r.mb).toBeLessThanOrEqual(0.15);
      expect(Math.abs(r.tr - r.mr) / r.mr).toBeLessThanOrEqual(0.15);
    }
    const [one, , twoOne, twoTwo] = rows;
    // 1 TU: the 1,675-message batches are throttled (far fewer than the 201,000 sent get in) — and fewer than at 2 TU.
    expect(one.tb).toBeLessThan(201_000 * 0.5);
    expect(one.tb).toBeLessThan(twoOne.tb);
    // 1 TU: everything that got in reached Stream Analytics within the slice.
    expect(one.tr).toBe(one.tb);
    // 2 TU / 1 SU: Stream Analytics falls behind within the slice; 2 TU / 2 SU keeps up.
    expect(twoOne.tr).toBeLessThan(twoOne.tb * 0.95);
    expect(twoTwo.tr).toBe(twoTwo.tb);

    const html = readFileSync(path.join(out, 'calibration.html'), 'utf8');
    expect(html).toContain('measured (guide)');
    expect(html).toContain('twin');
    expect(html).toMatch(/4 of 4 rows within ±15%/);
    // A matrix run: one sub-folder per row plus matrix.csv / matrix.html.
    expect(readFileSync(path.join(out, 'matrix.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    for (const id of ['row1-tu1-su1', 'row2-tu1-su1', 'row3-tu2-su1', 'row4-tu2-su2']) expect(readFileSync(path.join(out, id, 'report.json'), 'utf8')).toContain('"unaccounted": 0');
    expect(res.stdout).toMatch(/row3-tu2-su1: 2 TU \/ 1 SU — batched/);
    // Falling behind shows as backlog and watermark delay; keeping up does not.
    const kpis = (id: string) => JSON.parse(readFileSync(path.join(out, id, 'report.json'), 'utf8')).kpis;
    const behind = kpis('row3-tu2-su1');
    const keepsUp = kpis('row4-tu2-su2');
    expect(behind.peakWatermarkDelayMs).toBeGreaterThan(5 * 60_000);
    expect(keepsUp.peakWatermarkDelayMs).toBeLessThan(60_000);
    expect(behind.peakBacklog).toBeGreaterThan(10 * keepsUp.peakBacklog);
  });
});
