// Exports a trained ensemble as one ai.onnx.ml TreeEnsembleClassifier node.
//
// Input "input": float [N, features]; outputs "label": int64 [N] and "probabilities": float [N, 4]
// (post_transform SOFTMAX, a plain tensor — no ZipMap, so any runtime reads it without map support).
// The feature order and the text encoders go into metadata_props so a scorer can take raw profile rows.
import type { GbmModel } from '../gbm/model.js';
import { ELEM_FLOAT, ELEM_INT64, encodeModel, type Attribute } from './onnx-proto.js';

export const INPUT_NAME = 'input';
export const LABEL_OUTPUT = 'label';
export const PROBABILITY_OUTPUT = 'probabilities';
/** metadata_props keys. */
export const META_FORMAT = 'c360.format';
export const META_FEATURES = 'c360.features';
export const FORMAT_VERSION = 'c360-tree-ensemble/1';
/** IR 8 and ai.onnx.ml 3: loadable by onnxruntime and checkable by onnx ≥ 1.12 (Debian's python3-onnx). */
const IR_VERSION = 8;
const ML_OPSET = 3;
const DEFAULT_OPSET = 15;

export interface ExportOptions {
  producerVersion?: string;
  docString?: string;
  /** More metadata_props (e.g. training parameters and metrics). */
  metadata?: Record<string, string>;
}

export function exportTreeEnsemble(model: GbmModel, options: ExportOptions = {}): Uint8Array {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const classTreeIds: number[] = [];
  const classNodeIds: number[] = [];
  const classIds: number[] = [];
  const classWeights: number[] = [];
  model.trees.forEach((tree, t) => {
    for (let node = 0; node < tree.feature.length; node++) {
      treeIds.push(t);
      nodeIds.push(node);
      missingTrue.push(0); // NaN goes to the false (right) branch, as in training
      if (tree.feature[node] >= 0) {
        featureIds.push(tree.feature[node]);
        modes.push('BRANCH_LEQ');
        values.push(tree.threshold[node]);
        trueIds.push(tree.left[node]);
        falseIds.push(tree.right[node]);
      } else {
        featureIds.push(0);
        modes.push('LEAF');
        values.push(0);
        trueIds.push(0);
        falseIds.push(0);
        classTreeIds.push(t);
        classNodeIds.push(node);
        classIds.push(model.treeClass[t]);
        classWeights.push(tree.value[node]);
      }
    }
  });
  const attributes: Attribute[] = [
    { name: 'base_values', type: 'floats', value: model.baseScore },
    { name: 'class_ids', type: 'ints', value: classIds },
    { name: 'class_nodeids', type: 'ints', value: classNodeIds },
    { name: 'class_treeids', type: 'ints', value: classTreeIds },
    { name: 'class_weights', type: 'floats', value: classWeights },
    { name: 'classlabels_int64s', type: 'ints', value: Array.from({ length: model.classes }, (_, i) => i) },
    { name: 'nodes_falsenodeids', type: 'ints', value: falseIds },
    { name: 'nodes_featureids', type: 'ints', value: featureIds },
    { name: 'nodes_missing_value_tracks_true', type: 'ints', value: missingTrue },
    { name: 'nodes_modes', type: 'strings', value: modes },
    { name: 'nodes_nodeids', type: 'ints', value: nodeIds },
    { name: 'nodes_treeids', type: 'ints', value: treeIds },
    { name: 'nodes_truenodeids', type: 'ints', value: trueIds },
    { name: 'nodes_values', type: 'floats', value: values },
    { name: 'post_transform', type: 'string', value: 'SOFTMAX' },
  ];
  return encodeModel({
    irVersion: IR_VERSION,
    opsets: [
      { domain: '', version: DEFAULT_OPSET },
      { domain: 'ai.onnx.ml', version: ML_OPSET },
    ],
    producerName: 'c360-twin',
    producerVersion: options.producerVersion ?? '0.1.0',
    docString: options.docString ?? 'Multinomial gradient-boosted trees trained by c360 train (TypeScript).',
    graphName: 'c360_gbm',
    nodes: [
      {
        name: 'tree_ensemble',
        opType: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        inputs: [INPUT_NAME],
        outputs: [LABEL_OUTPUT, PROBABILITY_OUTPUT],
        attributes,
      },
    ],
    inputs: [{ name: INPUT_NAME, elemType: ELEM_FLOAT, shape: ['N', model.features.length] }],
    outputs: [
      { name: LABEL_OUTPUT, elemType: ELEM_INT64, shape: ['N'] },
      { name: PROBABILITY_OUTPUT, elemType: ELEM_FLOAT, shape: ['N', model.classes] },
    ],
    metadata: {
      ...options.metadata,
      [META_FORMAT]: FORMAT_VERSION,
      [META_FEATURES]: JSON.stringify(model.features),
    },
  });
}
