// Bad models and bad input fail with one clear line naming the file (and line/field), never a stack
// trace; malformed rows are counted and skipped.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELEM_FLOAT, ELEM_INT64, encodeModel } from '../../engine/services/ml/onnx/onnx-proto.js';
import { runC360 } from '../helpers/cli.js';
import { ORIGINAL_PROFILES, readSimpleCsv, runPython } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'c360-ml-errors-'));
const good = path.join(dir, 'good.onnx');
const profiles = readFileSync(ORIGINAL_PROFILES, 'utf8').trim().split(/\r?\n/);

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** A structurally valid ONNX model (our own writer) with a chosen input width and class count. */
function plainModel(name: string, width: number, classes: number): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    encodeModel({
      irVersion: 8,
      opsets: [{ domain: 'ai.onnx.ml', version: 3 }],
      producerName: 'test',
      producerVersion: '0',
      docString: '',
      graphName: 'g',
      nodes: [
        {
          name: 'n',
          opType: 'TreeEnsembleClassifier',
          domain: 'ai.onnx.ml',
          inputs: ['X'],
          outputs: ['label', 'probabilities'],
          attributes: [
            { name: 'classlabels_int64s', type: 'ints', value: Array.from({ length: classes }, (_, i) => i) },
            { name: 'nodes_treeids', type: 'ints', value: [0] },
            { name: 'nodes_nodeids', type: 'ints', value: [0] },
            { name: 'nodes_featureids', type: 'ints', value: [0] },
            { name: 'nodes_modes', type: 'strings', value: ['LEAF'] },
            { name: 'nodes_values', type: 'floats', value: [0] },
            { name: 'nodes_truenodeids', type: 'ints', value: [0] },
            { name: 'nodes_falsenodeids', type: 'ints', value: [0] },
            { name: 'class_treeids', type: 'ints', value: [0] },
            { name: 'class_nodeids', type: 'ints', value: [0] },
            { name: 'class_ids', type: 'ints', value: [0] },
            { name: 'class_weights', type: 'floats', value: [1] },
            { name: 'post_transform', type: 'string', value: 'SOFTMAX' },
          ],
        },
      ],
      inputs: [{ name: 'X', elemType: ELEM_FLOAT, shape: ['N', width] }],
      outputs: [
        { name: 'label', elemType: ELEM_INT64, shape: ['N'] },
        { name: 'probabilities', elemType: ELEM_FLOAT, shape: ['N', classes] },
      ],
      metadata: {},
    }),
  );
  return file;
}

async function expectUserError(args: string[], pattern: RegExp): Promise<void> {
  const r = await runC360(args);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(/^c360: error: /);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

beforeAll(async () => {
  const r = await runC360(['train', '--data', ORIGINAL_PROFILES, '--out', good, '--trees', '5', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
});

describe('rejected models', () => {
  const data = () => ORIGINAL_PROFILES;
  const out = () => path.join(dir, 'never.csv');

  it('a missing model file', async () => {
    await expectUserError(['score', '--model', path.join(dir, 'nope.onnx'), '--data', data(), '--out', out()], /nope\.onnx: model not found/);
  });

  it('a file that is not protobuf at all', async () => {
    const file = path.join(dir, 'text.onnx');
    writeFileSync(file, 'this is not a model\n'.repeat(20));
    await expectUserError(['score', '--model', file, '--data', data(), '--out', out()], /text\.onnx: not a valid ONNX model/);
  });

  it('a truncated model', async () => {
    const file = path.join(dir, 'truncated.onnx');
    writeFileSync(file, readFileSync(good).subarray(0, 5000));
    await expectUserError(['score', '--model', file, '--data', data(), '--out', out()], /truncated\.onnx: not a valid ONNX model/);
  });

  it('a model that parses but onnxruntime refuses (corrupted tree attributes)', async () => {
    const file = path.join(dir, 'bad-tree.onnx');
    const bytes = new Uint8Array(readFileSync(good));
    // Replace the node modes with an unknown mode of the same length: the protobuf stays valid.
    const text = Buffer.from(bytes).toString('latin1').replaceAll('BRANCH_LEQ', 'BRANCH_XXX');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    await expectUserError(['score', '--model', file, '--data', data(), '--out', out()], /bad-tree\.onnx: onnxruntime cannot load the model/);
  });

  it('a model with an unexplained input width', async () => {
    await expectUserError(['score', '--model', plainModel('w10.onnx', 10, 4), '--data', data(), '--out', out()], /takes 10 features but does not say which/);
  });

  it('a model predicting the wrong number of classes', async () => {
    await expectUserError(['score', '--model', plainModel('k3.onnx', 23, 3), '--data', data(), '--out', out()], /has 3 columns; .* must predict 4 classes/);
  });

  it('a model whose probabilities are a ZipMap', async () => {
    const file = path.join(dir, 'zipmap.onnx');
    runPython('hand_built_ensemble.py', [file, ORIGINAL_PROFILES, path.join(dir, 'zipmap-expected.csv'), '--zipmap']);
    await expectUserError(['score', '--model', file, '--data', data(), '--out', out()], /ZipMap/);
  });

  it('data without a column the model needs', async () => {
    const header = profiles[0].split(',');
    const keep = header.map((_, i) => i).filter((i) => header[i] !== 'Income');
    const file = writeCsv('no-income.csv', profiles.slice(0, 5).map((l) => keep.map((i) => l.split(',')[i]).join(',')));
    await expectUserError(['score', '--model', good, '--data', file, '--out', out()], /no-income\.csv:1: the model needs column\(s\) Income/);
  });
});

describe('malformed rows are counted and skipped', () => {
  it('by score, with file:line and field', async () => {
    const rows = profiles.slice(0, 11);
    rows[3] = rows[3].replace(',M,', ',X,'); // unknown Gender, line 4
    rows[5] = rows[5] + ',extra'; // wrong field count, line 6
    rows[7] = rows[7].replace(/^(\d+),(\d+),/, '$1,forty,'); // non-numeric age, line 8
    const file = writeCsv('bad-rows.csv', rows);
    const out = path.join(dir, 'bad-rows-scored.csv');
    const r = await runC360(['score', '--model', good, '--data', file, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/3 malformed row\(s\) skipped/);
    expect(r.stderr).toMatch(/bad-rows\.csv:4: Gender: unknown value "X"/);
    expect(r.stderr).toMatch(/bad-rows\.csv:6: expected 31 fields, found 32/);
    expect(r.stderr).toMatch(/bad-rows\.csv:8: age: "forty" is not a number/);
    expect(readSimpleCsv(readFileSync(out, 'utf8')).rows).toHaveLength(7);
  });

  it('by train, and a bad label too', async () => {
    const rows = [...profiles];
    rows[10] = rows[10].replace(/,0$/, ',7'); // label 7, line 11
    rows[20] = rows[20].replace(/,(Less_than_10K|10K_50K|50K_100K|Greater_than_100K),/, ',lots,'); // unknown Income, line 21
    const file = writeCsv('bad-train.csv', rows);
    const r = await runC360(['train', '--data', file, '--out', path.join(dir, 'bad-train.onnx'), '--trees', '3', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 malformed row\(s\) skipped/);
    expect(r.stderr).toMatch(/bad-train\.csv:11: label: label "7" is not a class 0\.\.3/);
    expect(r.stderr).toMatch(/bad-train\.csv:21: Income: unknown value "lots"/);
  });

  it('train rejects a file without the label column, and bad flags', async () => {
    const header = profiles[0].split(',');
    const file = writeCsv('no-label.csv', profiles.slice(0, 4).map((l) => l.split(',').slice(0, header.length - 1).join(',')));
    await expectUserError(['train', '--data', file, '--out', path.join(dir, 'x.onnx')], /no-label\.csv:1: missing column "label"/);
    const r = await runC360(['train', '--data', ORIGINAL_PROFILES, '--out', path.join(dir, 'x.onnx'), '--depth', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--depth must be an integer ≥ 1/);
  });
});
