// Plans for the backend's fused kernels (FusedParams in backend.ts); null declines one.
import type { FusedName, FusedParams } from '../../backend.ts';
import { planAttention } from './kernels-attention.ts';
import { planAdam, planGruCell, planGruCellBackward, planLstmCell, planLstmCellBackward } from './kernels-fused-elementwise.ts';
import {
  planCrossEntropy, planCrossEntropyBackward, planLayerNorm, planLayerNormBackward, planSoftmax, planSoftmaxBackward,
} from './kernels-fused-rows.ts';
import type { Dispatch } from './wgsl.ts';

const empty = (n: number): Dispatch[] | null => (n === 0 ? [] : null);

export function planFused<K extends FusedName>(name: K, params: FusedParams[K]): Dispatch[] | null {
  const p = params as FusedParams[FusedName];
  switch (name) {
    case 'softmax': { const q = p as FusedParams['softmax']; return empty(q.outer * q.size * q.inner) ?? planSoftmax(q); }
    case 'softmaxBackward': { const q = p as FusedParams['softmaxBackward']; return empty(q.outer * q.size * q.inner) ?? planSoftmaxBackward(q); }
    case 'layerNorm': { const q = p as FusedParams['layerNorm']; return empty(q.rows * q.size) ?? planLayerNorm(q); }
    case 'layerNormBackward': { const q = p as FusedParams['layerNormBackward']; return empty(q.rows * q.size) ?? planLayerNormBackward(q); }
    case 'crossEntropy': { const q = p as FusedParams['crossEntropy']; return q.classes === 0 ? null : empty(q.rows) ?? planCrossEntropy(q); }
    case 'crossEntropyBackward': { const q = p as FusedParams['crossEntropyBackward']; return q.classes === 0 ? null : empty(q.rows) ?? planCrossEntropyBackward(q); }
    case 'attention': return planAttention(p as FusedParams['attention']);
    case 'adam': { const q = p as FusedParams['adam']; return empty(q.size) ?? planAdam(q); }
    case 'lstmCell': { const q = p as FusedParams['lstmCell']; return empty(q.batch * q.hidden) ?? planLstmCell(q); }
    case 'lstmCellBackward': { const q = p as FusedParams['lstmCellBackward']; return empty(q.batch * q.hidden) ?? planLstmCellBackward(q); }
    case 'gruCell': { const q = p as FusedParams['gruCell']; return empty(q.batch * q.hidden) ?? planGruCell(q); }
    case 'gruCellBackward': { const q = p as FusedParams['gruCellBackward']; return empty(q.batch * q.hidden) ?? planGruCellBackward(q); }
    default: return null;
  }
}
