"""Oracle for the evaluation: reads 'actual predicted' pairs (one per line) from stdin, prints scikit-learn's figures as JSON."""
import json
import sys

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

pairs = [tuple(map(int, line.split())) for line in sys.stdin if line.strip()]
y, p = [a for a, _ in pairs], [b for _, b in pairs]
precision, recall, f1, support = precision_recall_fscore_support(y, p, labels=[0, 1, 2, 3], zero_division=0)
print(json.dumps({
    "accuracy": accuracy_score(y, p),
    "macroF1": f1_score(y, p, labels=[0, 1, 2, 3], average="macro", zero_division=0),
    "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(), "support": support.tolist(),
    "microPrecision": precision_recall_fscore_support(y, p, labels=[0, 1, 2, 3], average="micro", zero_division=0)[0],
    "confusion": confusion_matrix(y, p, labels=[0, 1, 2, 3]).tolist(),
}))
