// Which WGSL dispatches run each kernel of the backend contract (KernelParams); null sends a
// call to the CPU reference (the backend reads its inputs back and writes the result).
import type { KernelName, KernelParams } from '../../backend.ts';
import type { DType } from '../../dtype.ts';
import { planCast, planBinary, planFill, planUnary, planWhere } from './kernels-elementwise.ts';
import { planGather, planScatterAdd, planStridedCopy, planStridedScatter } from './kernels-indexing.ts';
import { planMatmul } from './kernels-matmul.ts';
import { planReduce } from './kernels-reduce.ts';
import type { Dispatch } from './wgsl.ts';

interface Buf { readonly dtype: DType; readonly size: number }

/** Dispatches for one kernel call; null where no WGSL kernel covers it (CPU fallback). */
export function planKernel<K extends KernelName>(kernel: K, inputs: Buf[], outputs: Buf[], params: KernelParams[K]): Dispatch[] | null {
  const out = outputs[0];
  const p = params as KernelParams[KernelName];
  switch (kernel) {
    case 'fill': return out.size === 0 ? [] : planFill(out, p as KernelParams['fill']);
    case 'cast': return out.size === 0 ? [] : planCast(inputs[0].dtype, out.dtype, out.size);
    case 'unary': return out.size === 0 ? [] : planUnary((p as KernelParams['unary']).op, inputs[0].dtype, out.size);
    case 'binary': return out.size === 0 ? [] : planBinary(inputs[0].dtype, out.size, p as KernelParams['binary']);
    case 'where': return out.size === 0 ? [] : planWhere(inputs[0].dtype, inputs[1].dtype, out.size, p as KernelParams['where']);
    case 'reduce': return out.size === 0 ? [] : planReduce(inputs[0].dtype, p as KernelParams['reduce']);
    case 'matmul':
      if (inputs[0].dtype !== 'float32' || inputs[1].dtype !== 'float32') return null;
      return out.size === 0 ? [] : planMatmul(p as KernelParams['matmul']);
    case 'stridedCopy': return out.size === 0 ? [] : planStridedCopy(out.size, p as KernelParams['stridedCopy']);
    case 'stridedScatter': return inputs[0].size === 0 ? [] : planStridedScatter(p as KernelParams['stridedScatter']);
    case 'gather': return out.size === 0 ? [] : planGather(out.size, inputs[0].size, p as KernelParams['gather']);
    case 'scatterAdd': return inputs[0].size === 0 ? [] : planScatterAdd(out.dtype, out.size, p as KernelParams['scatterAdd']);
    default: return null;
  }
}
