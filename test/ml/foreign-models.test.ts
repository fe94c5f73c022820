// Models trained elsewhere: built in Python with onnx.helper (a hand-written ensemble over three
// columns named in metadata) and an XGBoost booster converted with onnx.helper (23 columns, no
// metadata). `c360 score` must reproduce the probabilities that Python computed independently.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runC360 } from '../helpers/cli.js';
import { ORIGINAL_PROFILES, readSimpleCsv, runPython } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'c360-ml-foreign-'));

/** Largest probability difference between `c360 score` output and Python's expectation, matched by customerID. */
function compare(scoredFile: string, expectedFile: string): { rows: number; maxDiff: number; labelsMatch: boolean } {
  const scored = readSimpleCsv(readFileSync(scoredFile, 'utf8'));
  const expected = readSimpleCsv(readFileSync(expectedFile, 'utf8'));
  const id = scored.header.indexOf('customerID');
  const label = scored.header.indexOf('label');
  const prob = [0, 1, 2, 3].map((k) => scored.header.indexOf(`prob_categoryT${k}`));
  const want = new Map(expected.rows.map((r) => [r[0], r.slice(1).map(Number)]));
  let maxDiff = 0;
  let labelsMatch = true;
  for (const row of scored.rows) {
    const p = want.get(row[id]);
    if (!p) throw new Error(`customer ${row[id]} missing from the expectation`);
    for (let k = 0; k < 4; k++) maxDiff = Math.max(maxDiff, Math.abs(Number(row[prob[k]]) - p[k]));
    const best = p.indexOf(Math.max(...p));
    if (Number(row[label]) !== best && Math.abs(p[best] - p[Number(row[label])]) > 1e-6) labelsMatch = false;
  }
  return { rows: scored.rows.length, maxDiff, labelsMatch };
}

describe('scoring models trained elsewhere', () => {
  it('scores a hand-built onnx.helper ensemble (feature_names metadata, BRANCH_LT/GTE, base values)', async () => {
    const model = path.join(dir, 'hand.onnx');
    const expected = path.join(dir, 'hand-expected.csv');
    const out = path.join(dir, 'hand-scored.csv');
    runPython('hand_built_ensemble.py', [model, ORIGINAL_PROFILES, expected]);
    const r = await runC360(['score', '--model', model, '--data', ORIGINAL_PROFILES, '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = compare(out, expected);
    expect(result.rows).toBe(6000);
    expect(result.maxDiff).toBeLessThanOrEqual(1e-5);
    expect(result.labelsMatch).toBe(true);
  });

  it('scores an XGBoost model converted to ONNX like XGBoost itself predicts', async () => {
    const model = path.join(dir, 'xgb.onnx');
    const expected = path.join(dir, 'xgb-expected.csv');
    const out = path.join(dir, 'xgb-scored.csv');
    runPython('xgboost_to_onnx.py', [ORIGINAL_PROFILES, model, expected]);
    const r = await runC360(['score', '--model', model, '--data', ORIGINAL_PROFILES, '--out', out, '--batch', '1000', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Scored 6,000 rows/);
    const result = compare(out, expected);
    expect(result.rows).toBe(6000);
    expect(result.maxDiff).toBeLessThanOrEqual(1e-5);
    expect(result.labelsMatch).toBe(true);
  });
});
