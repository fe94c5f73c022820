// Acceptance: `c360 run scenarios/seed-demo.yaml --out DIR` from the repository, as a user runs it —
// 6,000 enriched profiles whose four probabilities sum to 1, every event accounted for, and a report
// with its charts. Also: the same scenario and seed give the same run (the virtual clock).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runC360 } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-e2e-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvRows(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('c360 run scenarios/seed-demo.yaml', () => {
  it('writes 6,000 enriched profiles, a reconciliation with nothing unaccounted, and the report with charts', { timeout: 180_000 }, async () => {
    const out = path.join(dir, 'demo');
    const res = await runC360(['run', 'scenarios/seed-demo.yaml', '--out', out, '--quiet']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^seed-demo: sent 804,000, accepted [\d,]+ .*6,000 enriched profiles, slices \d\/4 on time.*unaccounted 0/m);

    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    const r = report.reconciliation;
    expect(r.unaccounted).toBe(0);
    expect(r.sent).toBe(4 * 201_000);
    expect(r.accepted + r.throttled + r.dropped + r.inFlight).toBe(r.sent);
    // The original at 1 TU: most 1,675-message batches are throttled, some get in.
    expect(r.throttled).toBeGreaterThan(0);
    expect(r.accepted).toBeGreaterThan(0);
    expect(report.slices).toHaveLength(4);
    for (const s of report.slices) expect(s.profiles).toBe(6000);

    const { header, rows } = csvRows(path.join(out, 'enriched_profiles.csv'));
    expect(rows).toHaveLength(6000);
    const p = ['prob_categoryT0', 'prob_categoryT1', 'prob_categoryT2', 'prob_categoryT3'].map((c) => header.indexOf(c));
    expect(p.every((i) => i >= 0)).toBe(true);
    const ids = new Set<number>();
    for (const row of rows) {
      ids.add(Number(row[0]));
      const sum = p.reduce((a, i) => a + Number(row[i]), 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
      const label = Number(row[header.indexOf('label')]);
      // The predicted label is the most probable class.
      const probs = p.map((i) => Number(row[i]));
      expect(probs[label]).toBe(Math.max(...probs));
    }
    expect(ids.size).toBe(6000);

    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(readFileSync(path.join(out, 'metrics.csv'), 'utf8').split('\n').length).toBeGreaterThan(3600);
  });
});
