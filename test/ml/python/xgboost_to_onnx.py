"""Trains XGBoost (multi:softprob) on the original profiles, converts the booster to an ONNX
TreeEnsembleClassifier with onnx.helper (no onnxmltools needed), and writes XGBoost's own
probabilities for every row, so `c360 score` on the converted model can be compared with XGBoost.

usage: xgboost_to_onnx.py PROFILES.csv MODEL.onnx EXPECTED.csv
The same converter is the worked example in docs/ml.md.
"""
import csv
import json
import sys

import numpy as np
import onnx
import xgboost as xgb
from onnx import TensorProto, helper

profiles, model_path, expected_path = sys.argv[1:4]
FEATURES = ["age", "Gender", "Income", "HeadofHousehold", "number_household", "months_residence",
            "T1count_30d", "T2count_30d", "T3count_30d", "T1spend_30d", "T2spend_30d", "T3spend_30d",
            "T1count_10d", "T2count_10d", "T3count_10d", "T1spend_10d", "T2spend_10d", "T3spend_10d",
            "r_60d", "f_60d", "T1_m_60d", "T2_m_60d", "T3_m_60d"]
CODES = {"Gender": {"F": 0, "M": 1}, "HeadofHousehold": {"F": 0, "T": 1},
         "Income": {"Less_than_10K": 0, "10K_50K": 1, "50K_100K": 2, "Greater_than_100K": 3}}

rows = list(csv.DictReader(open(profiles)))
X = np.array([[CODES[c][r[c]] if c in CODES else float(r[c]) for c in FEATURES] for r in rows], dtype=np.float32)
y = np.array([int(r["label"]) for r in rows])
booster = xgb.train({"objective": "multi:softprob", "num_class": 4, "max_depth": 5, "eta": 0.1,
                     "tree_method": "hist", "nthread": 1, "seed": 0}, xgb.DMatrix(X, label=y), 20)


def booster_to_onnx(booster, n_features, n_classes):
    """XGBoost's JSON model → one TreeEnsembleClassifier node (x < split goes to the 'yes' child)."""
    model = json.loads(booster.save_raw("json"))
    learner = model["learner"]
    trees = learner["gradient_booster"]["model"]["trees"]
    tree_class = learner["gradient_booster"]["model"]["tree_info"]
    base_score = float(learner["learner_model_param"]["base_score"])
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                         "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
    for t, tree in enumerate(trees):
        for i, (left, right) in enumerate(zip(tree["left_children"], tree["right_children"])):
            leaf = left == -1
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(i)
            a["nodes_featureids"].append(0 if leaf else tree["split_indices"][i])
            a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LT")
            a["nodes_values"].append(0.0 if leaf else tree["split_conditions"][i])
            a["nodes_truenodeids"].append(0 if leaf else left)
            a["nodes_falsenodeids"].append(0 if leaf else right)
            a["nodes_missing_value_tracks_true"].append(0 if leaf else int(tree["default_left"][i]))
            if leaf:  # a leaf's weight is stored in split_conditions
                a["class_treeids"].append(t)
                a["class_nodeids"].append(i)
                a["class_ids"].append(tree_class[t])
                a["class_weights"].append(tree["split_conditions"][i])
    node = helper.make_node("TreeEnsembleClassifier", ["input"], ["label", "probabilities"], domain="ai.onnx.ml",
                            classlabels_int64s=list(range(n_classes)), post_transform="SOFTMAX",
                            base_values=[base_score] * n_classes, **a)
    graph = helper.make_graph([node], "xgboost", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", n_features])],
                              [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
                               helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", n_classes])])
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 3)],
                                   producer_name="xgboost_to_onnx.py")
    onnx_model.ir_version = 8
    onnx.checker.check_model(onnx_model)
    return onnx_model


onnx.save(booster_to_onnx(booster, len(FEATURES), 4), model_path)
probabilities = booster.predict(xgb.DMatrix(X))
with open(expected_path, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["customerID", "p0", "p1", "p2", "p3"])
    for r, p in zip(rows, probabilities):
        writer.writerow([r["customerID"]] + [repr(float(v)) for v in p])
