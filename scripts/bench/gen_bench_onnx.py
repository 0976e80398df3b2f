"""Writes the tiny ONNX graphs the WebGPU page benchmark (bench/webgpu-page/) runs on
onnxruntime-web's WebGPU provider. No weights: every operand is a graph input.

  matmul.onnx     C = A @ B, A (N, N), B (N, N), N dynamic
  attention.onnx  softmax(Q Kᵀ · 1/√d) V on (B, H, T, d) inputs, B/H/T dynamic, d = 64
                  (MatMul -> Mul by 1/√d -> Softmax -> MatMul, the unfused form tfjs runs too)

Run from the repository root: python3 scripts/bench/gen_bench_onnx.py
(needs the `onnx` package; Debian's python3-onnx works). Opset 17, IR 8, so
onnxruntime-web 1.30 loads them.
"""
import math
import os

import onnx
from onnx import TensorProto, helper

HEAD_DIM = 64
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'bench', 'webgpu-page', 'models')


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], producer_name='attention-lab gen_bench_onnx')
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(OUT_DIR, name)
    onnx.save(model, path)
    print(f'wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)')


def matmul_graph():
    a = helper.make_tensor_value_info('a', TensorProto.FLOAT, ['n', 'n'])
    b = helper.make_tensor_value_info('b', TensorProto.FLOAT, ['n', 'n'])
    c = helper.make_tensor_value_info('c', TensorProto.FLOAT, ['n', 'n'])
    return helper.make_graph([helper.make_node('MatMul', ['a', 'b'], ['c'])], 'matmul', [a, b], [c])


def attention_graph():
    dims = ['batch', 'heads', 'seq', HEAD_DIM]
    q, k, v, out = (helper.make_tensor_value_info(n, TensorProto.FLOAT, dims) for n in ('q', 'k', 'v', 'out'))
    scale = helper.make_tensor('scale', TensorProto.FLOAT, [], [1.0 / math.sqrt(HEAD_DIM)])
    nodes = [
        helper.make_node('Transpose', ['k'], ['k_t'], perm=[0, 1, 3, 2]),
        helper.make_node('MatMul', ['q', 'k_t'], ['scores']),
        helper.make_node('Mul', ['scores', 'scale'], ['scaled']),
        helper.make_node('Softmax', ['scaled'], ['weights'], axis=-1),
        helper.make_node('MatMul', ['weights', 'v'], ['out']),
    ]
    return helper.make_graph(nodes, 'attention', [q, k, v], [out], initializer=[scale])


if __name__ == '__main__':
    os.makedirs(OUT_DIR, exist_ok=True)
    save(matmul_graph(), 'matmul.onnx')
    save(attention_graph(), 'attention.onnx')
