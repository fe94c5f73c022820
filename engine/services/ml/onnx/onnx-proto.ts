// ONNX messages on top of the protobuf writer — only the parts a single-node ML graph uses.
// Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto, StringStringEntryProto).
import { ProtoWriter, ProtoFormatError, decodeString, readFields } from './protobuf.js';

export const ELEM_FLOAT = 1;
export const ELEM_INT64 = 7;

/** AttributeProto.AttributeType values. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;
const ATTR_STRINGS = 8;

export type Attribute =
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'floats'; value: ArrayLike<number> }
  | { name: string; type: 'ints'; value: ArrayLike<number> }
  | { name: string; type: 'strings'; value: readonly string[] };

export interface NodeSpec {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Attribute[];
}

/** A tensor input or output; a string dimension is symbolic (e.g. the batch size "N"). */
export interface TensorInfo {
  name: string;
  elemType: number;
  shape: (number | string)[];
}

export interface ModelSpec {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graphName: string;
  nodes: NodeSpec[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  metadata: Record<string, string>;
}

function attributeProto(a: Attribute): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, a.name);
  switch (a.type) {
    case 'float':
      w.float(2, a.value);
      w.int(20, ATTR_FLOAT);
      break;
    case 'int':
      w.int(3, a.value);
      w.int(20, ATTR_INT);
      break;
    case 'string':
      w.string(4, a.value);
      w.int(20, ATTR_STRING);
      break;
    case 'floats':
      w.packedFloats(7, a.value);
      w.int(20, ATTR_FLOATS);
      break;
    case 'ints':
      w.packedInts(8, a.value);
      w.int(20, ATTR_INTS);
      break;
    case 'strings':
      for (const s of a.value) w.string(9, s);
      w.int(20, ATTR_STRINGS);
      break;
  }
  return w;
}

function nodeProto(n: NodeSpec): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes) w.message(5, attributeProto(a));
  w.string(7, n.domain);
  return w;
}

function valueInfoProto(t: TensorInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of t.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensor = new ProtoWriter();
  tensor.int(1, t.elemType);
  tensor.message(2, shape);
  const type = new ProtoWriter();
  type.message(1, tensor);
  const w = new ProtoWriter();
  w.string(1, t.name);
  w.message(2, type);
  return w;
}

export function encodeModel(m: ModelSpec): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of m.nodes) graph.message(1, nodeProto(n));
  graph.string(2, m.graphName);
  for (const i of m.inputs) graph.message(11, valueInfoProto(i));
  for (const o of m.outputs) graph.message(12, valueInfoProto(o));

  const model = new ProtoWriter();
  model.int(1, m.irVersion);
  model.string(2, m.producerName);
  model.string(3, m.producerVersion);
  model.string(6, m.docString);
  model.message(7, graph);
  for (const o of m.opsets) {
    const opset = new ProtoWriter();
    opset.string(1, o.domain);
    opset.int(2, o.version);
    model.message(8, opset);
  }
  for (const key of Object.keys(m.metadata).sort()) {
    const entry = new ProtoWriter();
    entry.string(1, key);
    entry.string(2, m.metadata[key]);
    model.message(14, entry);
  }
  return model.finish();
}

/** The model's metadata_props (ModelProto field 14); throws ProtoFormatError when the bytes are not a protobuf message. */
export function readModelMetadata(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let sawGraph = false;
  for (const f of readFields(bytes)) {
    if (f.field === 7 && f.data) sawGraph = true;
    if (f.field !== 14 || !f.data) continue;
    let key = '';
    let value = '';
    for (const e of readFields(f.data)) {
      if (e.field === 1) key = decodeString(e.data);
      else if (e.field === 2) value = decodeString(e.data);
    }
    out[key] = value;
  }
  if (!sawGraph) throw new ProtoFormatError('no graph in the model');
  return out;
}
