#!/usr/bin/env bash
# Runs Debian's Python (the one with torch 1.13) on OpenBLAS instead of the reference BLAS that
# Debian's torch links by default (≈100× faster matmuls on CPU). Needs `apt-get install -y
# python3-torch python3-onnx python3-regex libopenblas0-pthread`; works without OpenBLAS, only slower.
dir=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [ -d "$dir" ]; then export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
exec /usr/bin/python3 "$@"
