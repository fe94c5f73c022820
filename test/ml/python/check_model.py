"""Runs the official ONNX checker on a model and prints what a test needs to know about it as JSON."""
import json
import sys

import onnx

model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
graph = model.graph


def shape(value_info):
    dims = value_info.type.tensor_type.shape.dim
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in dims]


print(json.dumps({
    "ir_version": model.ir_version,
    "opsets": {o.domain: o.version for o in model.opset_import},
    "ops": [(n.domain, n.op_type) for n in graph.node],
    "inputs": [(i.name, i.type.tensor_type.elem_type, shape(i)) for i in graph.input],
    "outputs": [(o.name, o.type.tensor_type.elem_type, shape(o)) for o in graph.output],
    "metadata": {p.key: p.value for p in model.metadata_props},
    "attributes": sorted(a.name for a in graph.node[0].attribute),
}))
