"""Builds a small tree ensemble with onnx.helper — independently of c360's exporter — and computes the
probabilities it must give on a profile CSV with plain Python, so `c360 score` can be checked against it.

usage: hand_built_ensemble.py MODEL.onnx PROFILES.csv EXPECTED.csv [--zipmap] [--classes K]
The model reads three columns, in an order unlike the CSV's, named by metadata_props "feature_names":
Income (ordinal code), T1count_30d and Gender (F=0, M=1). It uses BRANCH_LT and BRANCH_GTE nodes and
non-zero base values, so the scorer cannot get it right by accident.
"""
import csv
import math
import sys

import onnx
from onnx import TensorProto, helper

model_path, profiles, expected_path = sys.argv[1:4]
zipmap = "--zipmap" in sys.argv
classes = int(sys.argv[sys.argv.index("--classes") + 1]) if "--classes" in sys.argv else 4
FEATURES = ["Income", "T1count_30d", "Gender"]
INCOME = {"Less_than_10K": 0, "10K_50K": 1, "50K_100K": 2, "Greater_than_100K": 3}
GENDER = {"F": 0, "M": 1}

# Each tree: nodes as (id, mode, feature, value, true_id, false_id); leaves as {node id: [(class, weight)]}.
TREES = [
    ([(0, "BRANCH_LT", 1, 5000.0, 1, 2), (1, "LEAF", 0, 0, 0, 0), (2, "BRANCH_GTE", 0, 2.0, 3, 4), (3, "LEAF", 0, 0, 0, 0), (4, "LEAF", 0, 0, 0, 0)],
     {1: [(0, 0.8), (2, 0.1)], 3: [(1, 1.2)], 4: [(1, 0.3), (3, 0.2)]}),
    ([(0, "BRANCH_LEQ", 2, 0.5, 1, 2), (1, "LEAF", 0, 0, 0, 0), (2, "LEAF", 0, 0, 0, 0)],
     {1: [(2, 0.4), (3, 0.35)], 2: [(1, 0.25)]}),
]
BASE = [0.3, -0.2, 0.1, 0.05][:classes]

attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
for t, (nodes, leaves) in enumerate(TREES):
    for node_id, mode, feature, value, true_id, false_id in nodes:
        attrs["nodes_treeids"].append(t)
        attrs["nodes_nodeids"].append(node_id)
        attrs["nodes_featureids"].append(feature)
        attrs["nodes_modes"].append(mode)
        attrs["nodes_values"].append(value)
        attrs["nodes_truenodeids"].append(true_id)
        attrs["nodes_falsenodeids"].append(false_id)
    for node_id, weights in leaves.items():
        for cls, w in weights:
            if cls >= classes:
                continue
            attrs["class_treeids"].append(t)
            attrs["class_nodeids"].append(node_id)
            attrs["class_ids"].append(cls)
            attrs["class_weights"].append(w)

node = helper.make_node("TreeEnsembleClassifier", ["X"], ["label", "probabilities"], domain="ai.onnx.ml",
                        classlabels_int64s=list(range(classes)), post_transform="SOFTMAX", base_values=BASE, **attrs)
nodes = [node]
outputs = [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"])]
if zipmap:
    nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml",
                                  classlabels_int64s=list(range(classes))))
    zipmap_type = onnx.TypeProto()  # seq(map(int64, float)), built by hand: onnx 1.12 has no helper for maps
    zipmap_type.sequence_type.elem_type.map_type.key_type = TensorProto.INT64
    zipmap_type.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    outputs.append(helper.make_value_info("output_probability", zipmap_type))
else:
    outputs.append(helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", classes]))
graph = helper.make_graph(nodes, "hand_built", [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 3])], outputs)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 3)],
                          producer_name="hand_built_ensemble.py")
model.ir_version = 8
helper.set_model_props(model, {"feature_names": ",".join(FEATURES)})
onnx.checker.check_model(model)
onnx.save(model, model_path)


def branch(mode, x, v):
    return {"BRANCH_LT": x < v, "BRANCH_LEQ": x <= v, "BRANCH_GTE": x >= v, "BRANCH_GT": x > v}[mode]


with open(profiles) as f, open(expected_path, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["customerID"] + [f"p{k}" for k in range(classes)])
    for row in csv.DictReader(f):
        x = [float(INCOME[row["Income"]]), float(row["T1count_30d"]), float(GENDER[row["Gender"]])]
        scores = list(BASE)
        for nodes, leaves in TREES:
            by_id = {n[0]: n for n in nodes}
            n = by_id[0]
            while n[1] != "LEAF":
                n = by_id[n[4] if branch(n[1], x[n[2]], n[3]) else n[5]]
            for cls, w in leaves.get(n[0], []):
                if cls < classes:
                    scores[cls] += w
        m = max(scores)
        e = [math.exp(s - m) for s in scores]
        writer.writerow([row["customerID"]] + [v / sum(e) for v in e])
