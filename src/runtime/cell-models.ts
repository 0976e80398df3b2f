// `models.load(name)` for cells: a shipped model as an engine module with its trained weights, its
// tokenizer and its config — the same weights the widgets run on onnxruntime, read straight out of
// public/models/<name>/model.onnx, so a reader can look inside, fine-tune or distil it in a cell.
import { BERT, GPT, Seq2Seq, noGrad } from '../engine/index.ts';
import { readShippedBytes, readShippedText } from './cell-api.ts';
import { loadEngineWeights } from './models/engine-weights.ts';
import { readOnnxInitializers } from './models/onnx-weights.ts';
import { tokenizerFor, type ShippedTokenizer, type TokenizerConfigJson } from './models/tokenizer.ts';

/** config.json of a shipped model, as much of it as cells use. */
export interface ShippedModelConfig extends TokenizerConfigJson {
  kind: string;
  config: Record<string, number>;
  params?: number;
  [key: string]: unknown;
}

export interface ShippedModel<M> {
  name: string;
  /** The engine module, weights loaded, in eval mode (call `.train()` before fine-tuning). */
  model: M;
  tokenizer: ShippedTokenizer;
  config: ShippedModelConfig;
}

/** The engine class of each shipped model (a new model directory: add its line, for the editor's types). */
export interface ShippedModels {
  'gpt-sotu': GPT;
  'gpt-sotu-student': GPT;
  'bert-sotu': BERT;
  'seq2seq-dates': Seq2Seq;
  'gpt-icl': GPT;
  't5-mini': Seq2Seq;
}
type ModelFor<N extends string> = N extends keyof ShippedModels ? ShippedModels[N] : GPT | BERT | Seq2Seq;

const NAME = /^[a-z0-9-]+$/;

function build(name: string, config: ShippedModelConfig): GPT | BERT | Seq2Seq {
  const c = config.config;
  switch (config.kind) {
    case 'gpt':
      return new GPT({ vocabSize: c.vocabSize!, blockSize: c.blockSize!, nLayer: c.nLayer!, nHead: c.nHead!, nEmbd: c.nEmbd! });
    case 'bert':
      return new BERT({ vocabSize: c.vocabSize!, maxLen: c.maxLen!, nLayer: c.nLayer!, nHead: c.nHead!, nEmbd: c.nEmbd! });
    case 'seq2seq':
      return new Seq2Seq({ vocabSize: c.vocabSize!, maxLen: c.maxLen!, nLayer: c.nLayer!, nHead: c.nHead!, nEmbd: c.nEmbd! });
    default:
      throw new Error(`models.load: "${name}" is a ${config.kind} model, which cells cannot load into the engine (gpt, bert and seq2seq models can)`);
  }
}

export const models = {
  /**
   * A shipped model (public/models/<name>/) as an engine module with its trained weights:
   * `const { model, tokenizer } = await models.load('gpt-sotu')`. Each call gives a fresh copy,
   * so fine-tuning one never changes another.
   */
  async load<N extends string>(name: N): Promise<ShippedModel<ModelFor<N>>> {
    if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`models.load: "${String(name)}" is not a model name (try 'gpt-sotu', 'bert-sotu', 'seq2seq-dates')`);
    const dir = `models/${name}`;
    let configText: string;
    try {
      configText = await readShippedText(`${dir}/config.json`);
    } catch (err) {
      throw new Error(`models.load: the book ships no model "${name}" (${(err as Error).message})`);
    }
    const config = JSON.parse(configText) as ShippedModelConfig;
    const model = build(name, config);
    const [tokenizer, onnx] = await Promise.all([tokenizerFor(config, (file) => readShippedText(`${dir}/${file}`)), readShippedBytes(`${dir}/model.onnx`)]);
    noGrad(() => loadEngineWeights(model, readOnnxInitializers(onnx)));
    model.eval();
    return { name, model: model as ModelFor<N>, tokenizer, config };
  },

  /**
   * A JSON file that ships beside a model (its held-out set, its measured scores):
   * `await models.json('t5-mini', 'scores.json')`.
   */
  async json<T = unknown>(name: string, file: string): Promise<T> {
    if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`models.json: "${String(name)}" is not a model name`);
    if (typeof file !== 'string' || !/^[a-z0-9-]+\.json$/.test(file)) throw new Error(`models.json: "${String(file)}" is not a JSON file name (like "scores.json")`);
    return JSON.parse(await readShippedText(`models/${name}/${file}`)) as T;
  },
};
