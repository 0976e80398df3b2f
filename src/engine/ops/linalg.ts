// matmul with torch's 1-D / 2-D / batched / broadcast rules, and linear.
import { broadcastShapes, fmtShape, opError } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { castP, matmulP, reshapeP } from '../primitives.ts';
import { tidy } from '../memory.ts';
import { add } from './elementwise.ts';
import { expand } from './shape-ops.ts';

function live(op: string, x: Tensor): void {
  if (!(x instanceof Tensor)) throw opError(op, `expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

/** a @ b (transB: a @ bᵀ over the last two dims of b) with batch broadcasting. */
function matmulImpl(op: string, a: Tensor, b: Tensor, transB: boolean): Tensor {
  live(op, a);
  live(op, b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw opError(op, `both arguments need at least 1 dim, got ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  }
  return tidy(() => {
    let A = a.dtype === 'float32' ? a : castP(a, 'float32');
    let B = b.dtype === 'float32' ? b : castP(b, 'float32');
    const aVec = A.ndim === 1;
    const bVec = B.ndim === 1;
    if (aVec) A = reshapeP(A, [1, A.shape[0]]);
    if (bVec) B = reshapeP(B, transB ? [1, B.shape[0]] : [B.shape[0], 1]);
    const [m, k] = A.shape.slice(-2);
    const kb = transB ? B.shape[B.ndim - 1] : B.shape[B.ndim - 2];
    const n = transB ? B.shape[B.ndim - 2] : B.shape[B.ndim - 1];
    if (k !== kb) {
      throw opError(op, `inner dimensions differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}${transB ? 'ᵀ' : ''} (${k} vs ${kb})`);
    }
    const batchA = A.shape.slice(0, -2);
    const batchB = B.shape.slice(0, -2);
    let out: Tensor;
    let batch: number[];
    if (batchB.length === 0) {
      // [..., m, k] @ [k, n]: fold the batch into rows, one big matmul
      batch = batchA;
      const rows = A.shape.slice(0, -1).reduce((x, y) => x * y, 1); // not A.size / k: k may be 0
      out = reshapeP(matmulP(reshapeP(A, [1, rows, k]), reshapeP(B, [1, ...B.shape]), false, transB), [...batch, m, n]);
    } else {
      let bShape: number[];
      try {
        bShape = broadcastShapes(op, batchA, batchB);
      } catch {
        throw opError(op, `batch dims cannot broadcast: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
      }
      batch = bShape;
      const nb = batch.reduce((x, y) => x * y, 1);
      const Ae = expand(A, [...batch, m, k]);
      const Be = expand(B, [...batch, ...B.shape.slice(-2)]);
      out = reshapeP(matmulP(reshapeP(Ae, [nb, m, k]), reshapeP(Be, [nb, ...B.shape.slice(-2)]), false, transB), [...batch, m, n]);
    }
    if (aVec && bVec) return reshapeP(out, []);
    if (aVec) return reshapeP(out, [...batch, n]);
    if (bVec) return reshapeP(out, [...batch, m]);
    return out;
  });
}

/** Matrix product with torch.matmul semantics (1-D, 2-D, batched, broadcast batch dims). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return matmulImpl('matmul', a, b, false);
}

/** a @ bᵀ (last two dims of b swapped) without materialising the transpose. */
export function matmulNT(a: Tensor, b: Tensor): Tensor {
  return matmulImpl('matmul', a, b, true);
}

/** y = x Wᵀ + b with W [out, in] (torch.nn.functional.linear layout). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  live('linear', x);
  live('linear', weight);
  if (weight.ndim !== 2) throw opError('linear', `weight must be 2-D [out, in], got ${fmtShape(weight.shape)}`);
  if (x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw opError('linear', `input features ${x.shape[x.ndim - 1]} do not match weight ${fmtShape(weight.shape)} (expected [out, ${x.shape[x.ndim - 1]}]); input ${fmtShape(x.shape)}`);
  }
  if (bias) {
    live('linear', bias);
    if (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]) {
      throw opError('linear', `bias must be [${weight.shape[0]}], got ${fmtShape(bias.shape)}`);
    }
  }
  return tidy(() => {
    const y = matmulNT(x, weight);
    return bias ? add(y, bias) : y;
  });
}
