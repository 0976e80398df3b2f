/**
 * Loads a shipped model's weights into the book's engine: the ONNX file's initializers carry the
 * PyTorch state_dict names (the export keeps them), so they map one to one onto the engine
 * module's `stateDict()`. A tied weight (GPT's lm_head.weight IS tok_emb.weight) is stored once
 * in the file and found through the tensor it shares.
 */
import type { nn } from '../../engine/index.ts';
import type { OnnxInitializer } from './onnx-weights.ts';

type Module = InstanceType<typeof nn.Module>;

export function loadEngineWeights(module: Module, initializers: Map<string, OnnxInitializer>): void {
  const own = module.stateDict();
  const dict = new Map<string, { shape: number[]; data: Float32Array }>();
  const missing: string[] = [];
  for (const [key, target] of Object.entries(own)) {
    let init = initializers.get(key);
    if (!init) {
      const twin = Object.entries(own).find(([k, t]) => k !== key && t === target && initializers.has(k));
      init = twin ? initializers.get(twin[0]) : undefined;
    }
    if (!init) {
      missing.push(key);
      continue;
    }
    if (!init.data) throw new Error(`loadEngineWeights: ${key} is not float32 in the ONNX file (data type ${init.dataType})`);
    dict.set(key, { shape: init.dims, data: init.data });
  }
  if (missing.length > 0) {
    throw new Error(`loadEngineWeights: the ONNX file has no initializer for ${missing.join(', ')} (was it exported with constant folding?)`);
  }
  module.loadStateDict(dict);
}
