// Unit tests of the pieces: binning, the protobuf wire format, the evaluation (against scikit-learn),
// tree growth constraints, and the Scorer port.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../engine/core/errors.js';
import { Random } from '../../engine/core/random.js';
import type { Dataset } from '../../engine/services/ml/dataset.js';
import { defaultFeatureSpecs, encodeValue, type FeatureSpec } from '../../engine/services/ml/features.js';
import { binMatrix, binOf, buildBinMapper } from '../../engine/services/ml/gbm/binning.js';
import { argmaxRows, leafOf, predictProbabilities } from '../../engine/services/ml/gbm/model.js';
import { trainGbm } from '../../engine/services/ml/gbm/train.js';
import { evaluate } from '../../engine/services/ml/metrics.js';
import { exportTreeEnsemble } from '../../engine/services/ml/onnx/export.js';
import { ProtoFormatError, ProtoWriter, readFields } from '../../engine/services/ml/onnx/protobuf.js';
import { OnnxScorer } from '../../engine/services/ml/scorer.js';
import { PYTHON, pythonDir } from './helpers.js';

describe('binning', () => {
  it('puts few distinct values in their own bins and NaN in the missing bin', () => {
    const x = Float32Array.from([3, 1, 2, 2, NaN, 1]);
    const m = buildBinMapper(x, 6, 1);
    expect(Array.from(m.cuts[0])).toEqual([1.5, 2.5]);
    expect(m.missingBin[0]).toBe(3);
    expect(Array.from(binMatrix(m, x, 6, 1))).toEqual([2, 0, 1, 1, 3, 0]);
  });

  it('keeps at most 254 cuts, and bin ≤ b exactly when x ≤ cuts[b] (float32)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 2000 }), fc.integer({ min: 0, max: 1e6 }), (values, seed) => {
        const random = new Random(seed);
        for (let i = 0; i < 400; i++) values.push(random.normal(0, 100));
        const x = Float32Array.from(values);
        const m = buildBinMapper(x, x.length, 1);
        const cuts = m.cuts[0];
        expect(cuts.length).toBeLessThanOrEqual(254);
        let violations = 0;
        for (let i = 1; i < cuts.length; i++) if (!(cuts[i] > cuts[i - 1])) violations++;
        for (const v of x) {
          const bin = binOf(m, 0, v);
          for (let b = 0; b < cuts.length; b++) if (bin <= b !== v <= cuts[b]) violations++;
        }
        expect(violations).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe('protobuf', () => {
  it('round-trips varints (large and negative), strings and nested messages', () => {
    const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1];
    const w = new ProtoWriter();
    for (const v of values) w.int(1, v);
    w.int(2, -1);
    w.string(3, 'Gender ♀');
    const inner = new ProtoWriter();
    inner.int(1, 42);
    w.message(4, inner);
    const fields = readFields(w.finish());
    expect(fields.filter((f) => f.field === 1).map((f) => f.int)).toEqual(values);
    expect(fields.find((f) => f.field === 2)?.int).toBe(2 ** 64 - 1); // ten-byte two's complement
    expect(new TextDecoder().decode(fields.find((f) => f.field === 3)?.data)).toBe('Gender ♀');
    expect(readFields(fields.find((f) => f.field === 4)!.data!)).toEqual([{ field: 1, wire: 0, int: 42 }]);
  });

  it('rejects truncated input', () => {
    const w = new ProtoWriter();
    w.string(1, 'hello world');
    const bytes = w.finish();
    expect(() => readFields(bytes.subarray(0, 5))).toThrow(ProtoFormatError);
    expect(() => readFields(Uint8Array.from([0x80]))).toThrow(ProtoFormatError);
  });
});

describe('evaluation', () => {
  it('matches scikit-learn on random predictions (including a class never predicted)', () => {
    const random = new Random(5);
    const actual: number[] = [];
    const predicted: number[] = [];
    for (let i = 0; i < 500; i++) {
      const a = random.weightedIndex([80, 10, 6, 4]);
      actual.push(a);
      predicted.push(random.next() < 0.6 ? a : random.int(0, 2)); // class 3 only when right
    }
    const ours = evaluate(actual, predicted, 4);
    const input = actual.map((a, i) => `${a} ${predicted[i]}`).join('\n');
    const r = spawnSync(PYTHON, [path.join(pythonDir, 'sklearn_metrics.py')], { input, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const sk = JSON.parse(r.stdout);
    expect(ours.accuracy).toBeCloseTo(sk.accuracy, 12);
    expect(ours.macroF1).toBeCloseTo(sk.macroF1, 12);
    expect(ours.confusion).toEqual(sk.confusion);
    expect(ours.original.microPrecision).toBeCloseTo(sk.microPrecision, 12);
    ours.perClass.forEach((c, k) => {
      expect(c.precision).toBeCloseTo(sk.precision[k], 12);
      expect(c.recall).toBeCloseTo(sk.recall[k], 12);
      expect(c.f1).toBeCloseTo(sk.f1[k], 12);
      expect(c.support).toBe(sk.support[k]);
    });
    expect(ours.original.macroPrecision).toBeCloseTo(sk.precision.reduce((a: number, b: number) => a + b) / 4, 12);
  });
});

function tinyData(rows: number, seed: number): Dataset {
  const random = new Random(seed);
  const features: FeatureSpec[] = [
    { name: 'a', kind: 'numeric' },
    { name: 'b', kind: 'numeric' },
  ];
  const x = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    x[r * 2] = random.uniform(0, 4);
    x[r * 2 + 1] = random.uniform(0, 1);
    y[r] = Math.floor(x[r * 2]); // class = integer part of a: learnable exactly
  }
  return { features, rows, x, y };
}

describe('training', () => {
  it('learns a separable problem exactly', () => {
    const data = tinyData(800, 1);
    const { model, featureGain } = trainGbm(data, { trees: 30, maxDepth: 3, learningRate: 0.5 });
    const predicted = argmaxRows(predictProbabilities(model, data.x, data.rows), 4);
    expect(evaluate(data.y, predicted, 4).accuracy).toBe(1);
    expect(featureGain[0]).toBeGreaterThan(100 * featureGain[1]);
  });

  it('respects the minimum rows per leaf and the depth limit', () => {
    const data = tinyData(300, 2);
    const { model } = trainGbm(data, { trees: 5, maxDepth: 4, minSamplesLeaf: 40, minChildWeight: 0 });
    for (const tree of model.trees) {
      const counts = new Map<number, number>();
      for (let r = 0; r < data.rows; r++) {
        const leaf = leafOf(tree, data.x, r * 2);
        counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
      }
      for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(40);
      expect(tree.feature.length).toBeLessThanOrEqual(31);
    }
  });

  it('refuses bad parameters', () => {
    const data = tinyData(10, 3);
    expect(() => trainGbm(data, { trees: 0 })).toThrow(/trees/);
    expect(() => trainGbm(data, { rowSubsample: 1.5 })).toThrow(/row subsample/);
  });
});

describe('features', () => {
  it('encodes the warehouse text columns and rejects unknown values', () => {
    const [, gender, income, head] = defaultFeatureSpecs();
    expect(encodeValue(gender, 'M')).toBe(1);
    expect(encodeValue(income, '50K_100K')).toBe(2);
    expect(encodeValue(head, 'T')).toBe(1);
    expect(Number.isNaN(encodeValue(defaultFeatureSpecs()[0], ''))).toBe(true);
    expect(() => encodeValue(gender, 'X')).toThrow(/unknown value "X"/);
    expect(() => encodeValue(defaultFeatureSpecs()[0], 'abc')).toThrow(/not a number/);
  });
});

describe('OnnxScorer (the pipeline port)', () => {
  it('scores raw profile rows like the TypeScript model and names bad fields', async () => {
    const specs = defaultFeatureSpecs();
    const random = new Random(8);
    const rows = Array.from({ length: 300 }, () => {
      const row: Record<string, number | string> = {};
      for (const s of specs) {
        if (s.kind === 'categorical') row[s.name] = random.pick(Object.keys(s.categories));
        else row[s.name] = random.int(0, 2000);
      }
      return row;
    });
    const x = new Float32Array(rows.length * specs.length);
    rows.forEach((row, r) => specs.forEach((s, f) => (x[r * specs.length + f] = encodeValue(s, row[s.name]))));
    const y = Int32Array.from(rows, (row) => (Number(row.T1count_30d) > 1000 ? 1 : row.Gender === 'M' ? 2 : 0));
    const { model } = trainGbm({ features: specs, rows: rows.length, x, y }, { trees: 10 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'c360-ml-scorer-')), 'm.onnx');
    writeFileSync(file, exportTreeEnsemble(model));
    const scorer = await OnnxScorer.load(file);
    try {
      const result = await scorer.score(rows);
      const want = predictProbabilities(model, x, rows.length);
      expect(result.probabilities).toHaveLength(rows.length * 4);
      for (let i = 0; i < want.length; i++) expect(Math.abs(result.probabilities[i] - want[i])).toBeLessThanOrEqual(1e-5);
      expect(Array.from(result.labels)).toEqual(Array.from(argmaxRows(want, 4)));
      const bad = [{ ...rows[0] }, { ...rows[1], Income: 'rich' }];
      await expect(scorer.score(bad)).rejects.toThrow(UserError);
      await expect(scorer.score(bad)).rejects.toThrow(/\(Income\): row 2: unknown value "rich"/);
    } finally {
      await scorer.close();
    }
  });
});
