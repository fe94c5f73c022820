#!/bin/sh
# Rebuilds the default model shipped in models/: generates a seeded dataset (c360 generate), builds
# the customer profiles with the ETL (c360 etl, future-purchase label), and trains the gradient-
# boosted trees (c360 train) with the original solution's settings: 50 trees, depth 5, learning rate
# 0.1, the 23 original predictors, a random 90/10 split whose 10% is the evaluation in the metrics.
# Every step is seeded, so the same seed rebuilds the same bytes.
#
# Usage: tools/build-default-model.sh [SEED]        (default seed 7; run from anywhere)
set -eu
SEED="${1:-7}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/c360-default-model.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT INT TERM
C360="node $ROOT/bin/c360.js"

$C360 generate --customers 6000 --seed "$SEED" --out "$WORK/data" --quiet
$C360 etl --warehouse "$WORK/data/warehouse.sqlite" --browsing "$WORK/data/browsing.jsonl" \
  --as-of 2017-03-08T06:00:00Z --out "$WORK/data/profiles.csv" --quiet
mkdir -p "$ROOT/models"
$C360 train --data "$WORK/data/profiles.csv" --out "$ROOT/models/default.onnx" \
  --metrics "$ROOT/models/default.metrics.json" \
  --trees 50 --depth 5 --learning-rate 0.1 --test-fraction 0.1 --seed "$SEED" --quiet
