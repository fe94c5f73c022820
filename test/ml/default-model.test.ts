// The shipped default model (models/default.onnx, built by tools/build-default-model.sh): a valid ONNX
// file, scoreable by `c360 score`, and consistent with the metrics JSON shipped next to it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runC360 } from '../helpers/cli.js';
import { ORIGINAL_PROFILES, readSimpleCsv, runPython } from './helpers.js';

const model = path.join(repoRoot, 'models/default.onnx');
const metrics = JSON.parse(readFileSync(path.join(repoRoot, 'models/default.metrics.json'), 'utf8'));

describe('the shipped default model', () => {
  it('passes the ONNX checker and its metadata matches the shipped metrics', () => {
    const info = JSON.parse(runPython('check_model.py', [model]));
    expect(info.ops).toEqual([['ai.onnx.ml', 'TreeEnsembleClassifier']]);
    expect(info.outputs[1]).toEqual(['probabilities', 1, ['N', 4]]);
    const training = JSON.parse(info.metadata['c360.training']);
    expect(training).toMatchObject({ trees: 50, maxDepth: 5, learningRate: 0.1, rows: metrics.rows.train });
    const test = JSON.parse(info.metadata['c360.test_metrics']);
    expect(test.accuracy).toBe(metrics.test.accuracy);
    expect(test.macroF1).toBe(metrics.test.macroF1);
    expect(metrics.test.macroF1).toBeGreaterThan(metrics.majorityBaseline.macroF1 + 0.2);
    expect(readFileSync(model).length).toBe(metrics.modelBytes);
  });

  it('scores the original profiles', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'c360-ml-default-')), 'scored.csv');
    const r = await runC360(['score', '--model', model, '--data', ORIGINAL_PROFILES, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const scored = readSimpleCsv(readFileSync(out, 'utf8'));
    expect(scored.rows).toHaveLength(6000);
    const labels = new Set(scored.rows.map((row) => row[scored.header.indexOf('label')]));
    expect(labels.size).toBeGreaterThan(1); // not a constant predictor
  });
});
