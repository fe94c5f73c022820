// The `c360 train` / `c360 score` contracts (DESIGN §3) driven through the real command.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runC360 } from '../helpers/cli.js';
import { ORIGINAL_PROFILES, readSimpleCsv } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'c360-ml-cli-'));

describe('c360 train', () => {
  it('trains with the original settings, prints the evaluation and writes the metrics JSON', async () => {
    const model = path.join(dir, 'm.onnx');
    const metrics = path.join(dir, 'sub/metrics.json');
    const r = await runC360(['train', '--data', ORIGINAL_PROFILES, '--out', model, '--metrics', metrics, '--trees', '50', '--depth', '5', '--learning-rate', '0.1', '--test-fraction', '0.1', '--seed', '3', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Trained 50 rounds × 4 classes = 200 trees on 5,400 rows \(23 features\)/);
    expect(r.stdout).toMatch(/Test \(600 rows\): accuracy \d+\.\d%, macro-F1 0\.\d{3} \(always predicting 0: accuracy 8\d\.\d%, macro-F1 0\.2\d\d\)/);
    expect(r.stdout).toMatch(/onnxruntime matches the TypeScript model/);
    const m = JSON.parse(readFileSync(metrics, 'utf8'));
    expect(m.rows).toEqual({ used: 6000, skipped: 0, train: 5400, validation: 0, test: 600 });
    expect(m.features).toHaveLength(23);
    expect(m.params).toMatchObject({ trees: 50, maxDepth: 5, learningRate: 0.1, seed: 3 });
    expect(m.test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(600);
    expect(m.test.perClass).toHaveLength(4);
    for (const c of m.test.perClass) expect(Object.keys(c).sort()).toEqual(['class', 'f1', 'precision', 'predicted', 'recall', 'support']);
    expect(Object.keys(m.test.original).sort()).toEqual(['averageAccuracy', 'macroPrecision', 'macroRecall', 'microPrecision', 'microRecall', 'overallAccuracy']);
    expect(m.test.macroF1).toBeGreaterThan(m.majorityBaseline.macroF1 + 0.2);
    expect(m.importance).toHaveLength(23);
    expect(m.importance[0].share).toBeGreaterThan(m.importance[22].share);
    expect(m.onnxMaxAbsDiff).toBeLessThanOrEqual(1e-5);
  });

  it('is deterministic per seed, and --test-fraction 0 trains on every row', async () => {
    const a = path.join(dir, 'a.onnx');
    const b = path.join(dir, 'b.onnx');
    const args = ['--data', ORIGINAL_PROFILES, '--trees', '5', '--test-fraction', '0', '--seed', '11', '--quiet'];
    const ra = await runC360(['train', ...args, '--out', a]);
    const rb = await runC360(['train', ...args, '--out', b]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code).toBe(0);
    expect(ra.stdout).toMatch(/on 6,000 rows/);
    expect(ra.stdout).toMatch(/No test rows/);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('supports early stopping on a validation split', async () => {
    const r = await runC360(['train', '--data', ORIGINAL_PROFILES, '--out', path.join(dir, 'es.onnx'), '--metrics', path.join(dir, 'es.json'), '--trees', '400', '--learning-rate', '0.3', '--early-stopping', '5', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(path.join(dir, 'es.json'), 'utf8'));
    expect(m.rows.validation).toBe(540);
    expect(m.rounds).toBeLessThan(400);
    expect(m.trees).toBe(m.rounds * 4);
    // The kept round is the best one: no later round beat it.
    const best = Math.min(...m.validationLoss);
    expect(m.validationLoss[m.rounds - 1]).toBe(best);
  });
});

describe('c360 score', () => {
  it('writes input columns, label_actual, label and prob_categoryT0..T3', async () => {
    const model = path.join(dir, 'score-model.onnx');
    expect((await runC360(['train', '--data', ORIGINAL_PROFILES, '--out', model, '--quiet'])).code).toBe(0);
    const out = path.join(dir, 'scored.csv');
    const r = await runC360(['score', '--model', model, '--data', ORIGINAL_PROFILES, '--out', out, '--batch', '1024', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Scored 6,000 rows/);
    expect(r.stdout).toMatch(/Against label_actual: accuracy \d+\.\d%, macro-F1 0\.\d+/);
    const input = readSimpleCsv(readFileSync(ORIGINAL_PROFILES, 'utf8'));
    const scored = readSimpleCsv(readFileSync(out, 'utf8'));
    const expectedHeader = [...input.header.map((c) => (c === 'label' ? 'label_actual' : c)), 'label', 'prob_categoryT0', 'prob_categoryT1', 'prob_categoryT2', 'prob_categoryT3'];
    expect(scored.header).toEqual(expectedHeader);
    expect(scored.rows).toHaveLength(6000);
    const w = input.header.length;
    for (let i = 0; i < scored.rows.length; i += 97) {
      const row = scored.rows[i];
      expect(row.slice(0, w)).toEqual(input.rows[i]);
      const p = row.slice(w + 1).map(Number);
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      expect(Number(row[w])).toBe(p.indexOf(Math.max(...p)));
    }
    // The same bytes whatever the batch size and the number of scoring threads: each row is scored by
    // one single-threaded session, in whichever worker (6,000 rows in one batch is enough to use the
    // worker pool; batches of 333 stay on the main thread).
    const small = path.join(dir, 'scored-small-batches.csv');
    const r1 = await runC360(['score', '--model', model, '--data', ORIGINAL_PROFILES, '--out', small, '--batch', '333', '--threads', '1', '--quiet']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(readFileSync(small).equals(readFileSync(out))).toBe(true);
    for (const threads of ['2', '3']) {
      const pooled = path.join(dir, `scored-${threads}-threads.csv`);
      const r2t = await runC360(['score', '--model', model, '--data', ORIGINAL_PROFILES, '--out', pooled, '--threads', threads, '--quiet']);
      expect(r2t.code, r2t.stderr).toBe(0);
      expect(readFileSync(pooled).equals(readFileSync(out))).toBe(true);
    }
    // Re-scoring the enriched file replaces the outputs instead of duplicating them.
    const again = path.join(dir, 'rescored.csv');
    const r2 = await runC360(['score', '--model', model, '--data', out, '--out', again, '--quiet']);
    expect(r2.code, r2.stderr).toBe(0);
    const rescored = readSimpleCsv(readFileSync(again, 'utf8'));
    expect(rescored.header).toEqual(expectedHeader);
    expect(rescored.rows[5]).toEqual(scored.rows[5]);
  });

  it('documents itself in --help', async () => {
    for (const cmd of ['train', 'score']) {
      const r = await runC360([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:/);
      expect(r.stdout).toMatch(/--model|--trees/);
    }
  });
});
