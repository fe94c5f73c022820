// Training is deterministic and its speed-ups must not move a single bit: the models trained here (the
// default path, subsampling, leaf-size limits, coarse bins, early stopping, deep trees) hash to the value
// recorded from the straightforward implementation (before the joint root histograms and sparse child
// histograms of tree-builder.ts). If a deliberate change alters the models, re-record the hash and say
// why the new models are still right.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadLabelledCsv, subset } from '../../engine/services/ml/dataset.js';
import { defaultFeatureSpecs } from '../../engine/services/ml/features.js';
import { trainGbm } from '../../engine/services/ml/gbm/train.js';
import { exportTreeEnsemble } from '../../engine/services/ml/onnx/export.js';
import { trainTestSplit } from '../../engine/services/ml/split.js';
import { ORIGINAL_PROFILES } from './helpers.js';

const RECORDED = 'd9fa236a521601364c4bc7252bf7096670d3ee93c623171e2f18da02aefd8c01';

describe('GBM training', () => {
  it('gives the recorded models, bit for bit', async () => {
    const data = await loadLabelledCsv(ORIGINAL_PROFILES, defaultFeatureSpecs());
    const splits = Array.from({ length: 5 }, (_, i) => trainTestSplit(data.rows, 0.1, 1000 + i));
    const sets = splits.map((s) => subset(data, s.train));
    const P = { trees: 50, maxDepth: 5, learningRate: 0.1 };
    const hash = createHash('sha256');
    for (let i = 0; i < 5; i++) hash.update(exportTreeEnsemble(trainGbm(sets[i], { ...P, seed: i + 1 }).model));
    hash.update(exportTreeEnsemble(trainGbm(sets[0], { ...P, seed: 9, rowSubsample: 0.7, featureSubsample: 0.6, minSamplesLeaf: 5, l2: 2, minChildWeight: 3 }).model));
    hash.update(exportTreeEnsemble(trainGbm(sets[1], { ...P, seed: 4, maxBins: 32, minSplitGain: 0.5 }).model));
    const early = trainGbm(sets[2], { ...P, seed: 5, earlyStoppingRounds: 5, trees: 200 }, subset(data, splits[2].test));
    hash.update(exportTreeEnsemble(early.model));
    hash.update(String(early.rounds));
    hash.update(JSON.stringify(early.validationLoss));
    hash.update(JSON.stringify(Array.from(early.featureGain)));
    hash.update(exportTreeEnsemble(trainGbm(sets[3], { ...P, seed: 6, maxDepth: 8 }).model));
    hash.update(exportTreeEnsemble(trainGbm(sets[4], { ...P, seed: 7, featureSubsample: 0.5 }).model));
    hash.update(exportTreeEnsemble(trainGbm(sets[4], { ...P, seed: 8, rowSubsample: 0.8, maxDepth: 6, l2: 0 }).model));
    expect(hash.digest('hex')).toBe(RECORDED);
  });
});
