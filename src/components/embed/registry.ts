// Every widget that can be embedded on its own at /embed/<slug>/ (slides, other sites) and shown
// in a chapter with <Widget name="<slug>" />. Adding a widget = one entry here. The entry holds
// only metadata, the URL codec and a lazy loader, so importing the registry costs no widget code.
import type { ComponentType } from 'preact';
import * as attentionPooling from '../widgets/attention-pooling/state.ts';
import * as attentionScoring from '../widgets/attention-scoring/state.ts';
import * as models from '../models/state.ts';
import * as positionalEncoding from '../widgets/positional-encoding/state.ts';
import * as lstmGates from '../widgets/lstm-gru/state.ts';
import * as selfAttention from '../widgets/self-attention/state.ts';
import * as rnnGradients from '../widgets/rnn/state.ts';
import * as arForecast from '../widgets/sequences/state.ts';
import * as transformerParams from '../widgets/transformer/state.ts';
import * as softTargets from '../widgets/distillation/state.ts';
import * as bertMasking from '../widgets/bert/state.ts';
import * as rlhfPairs from '../widgets/rlhf/state.ts';
import * as fewShot from '../widgets/gpt/state.ts';
import * as gpt2Tokens from '../widgets/gpt/tokens-state.ts';
import * as drawDigit from '../widgets/beyond-text/state.ts';
import * as t5 from '../widgets/t5/state.ts';

/** What a widget component receives. It is controlled: the host owns the state. */
export interface WidgetProps<S> {
  state: S;
  onStateChange: (state: S) => void;
  /** 'page': inside a chapter column; 'slide': fills the viewport with large type. */
  layout: 'page' | 'slide';
}

export interface EmbedEntry<S> {
  slug: string;
  /** Names the iframe (its title attribute) and the embed page. */
  title: string;
  description: string;
  /** Slug of the chapter that explains the widget (the embed links to it). */
  chapter: string;
  defaults: S;
  /** Reads the state from the embed URL's query; must accept anything (bad values → defaults). */
  parse: (params: URLSearchParams) => S;
  serialize: (state: S) => URLSearchParams;
  load: () => Promise<ComponentType<WidgetProps<S>>>;
}

function entry<S>(e: EmbedEntry<S>): EmbedEntry<S> {
  return e;
}

export const EMBEDS = {
  'attention-pooling': entry({
    slug: 'attention-pooling',
    title: 'Attention pooling: kernel and bandwidth',
    description:
      'Nadaraya–Watson kernel regression as attention pooling: choose a kernel and a bandwidth σ and watch the fitted curve and the attention weights change.',
    chapter: 'attention-pooling',
    defaults: attentionPooling.DEFAULT_STATE,
    parse: attentionPooling.parseState,
    serialize: attentionPooling.serializeState,
    load: () => import('../widgets/attention-pooling/AttentionPooling.tsx').then((m) => m.default),
  }),
  'attention-scoring': entry({
    slug: 'attention-scoring',
    title: 'Attention scores to weights: dot product, scaled, additive',
    description:
      'One query and ten random keys: move the width d and the temperature and watch the dot product saturate the softmax while the scaled dot product and the additive score stay soft.',
    chapter: 'attention-scoring',
    defaults: attentionScoring.DEFAULT_STATE,
    parse: attentionScoring.parseState,
    serialize: attentionScoring.serializeState,
    load: () => import('../widgets/attention-scoring/AttentionScoring.tsx').then((m) => m.default),
  }),
  'rnn-gradients': entry({
    slug: 'rnn-gradients',
    title: 'Vanishing and exploding gradients in an RNN',
    description:
      'Backpropagation through time, measured: set the spectral radius of W_hh, the activation and the length, and see the gradient norm ‖∂L/∂h_t‖ at every step shrink or blow up.',
    chapter: 'rnn',
    defaults: rnnGradients.DEFAULT_STATE,
    parse: rnnGradients.parseState,
    serialize: rnnGradients.serializeState,
    load: () => import('../widgets/rnn/RnnGradients.tsx').then((m) => m.default),
  }),
  'self-attention': entry({
    slug: 'self-attention',
    title: 'Self-attention explorer: queries, keys, values and weights',
    description:
      'Tokens as points you can move: see each head’s Q, K, V and the T × T attention weights recomputed, with a causal-mask toggle and a head selector.',
    chapter: 'self-attention',
    defaults: selfAttention.DEFAULT_STATE,
    parse: selfAttention.parseState,
    serialize: selfAttention.serializeState,
    load: () => import('../widgets/self-attention/SelfAttentionExplorer.tsx').then((m) => m.default),
  }),
  'positional-encoding': entry({
    slug: 'positional-encoding',
    title: 'Sinusoidal positional encoding explorer',
    description:
      'The sinusoidal encoding of Attention Is All You Need as a heatmap: move the width d, the number of positions and one position, and see its vector and its dot product with every other position against the offset.',
    chapter: 'positional-encoding',
    defaults: positionalEncoding.DEFAULT_STATE,
    parse: positionalEncoding.parseState,
    serialize: positionalEncoding.serializeState,
    load: () => import('../widgets/positional-encoding/PositionalEncoding.tsx').then((m) => m.default),
  }),
  'lstm-gates': entry({
    slug: 'lstm-gates',
    title: 'An LSTM cell: gates and the cell state over time',
    description: 'One LSTM unit on an input you choose: move the forget, input and output gate biases and watch the gates, the cell state and the hidden state over 12 steps, with the cell diagram at any step.',
    chapter: 'lstm-gru',
    defaults: lstmGates.DEFAULT_STATE,
    parse: lstmGates.parseState,
    serialize: lstmGates.serializeState,
    load: () => import('../widgets/lstm-gru/LSTMGates.tsx').then((m) => m.default),
  }),
  'transformer-params': entry({
    slug: 'transformer-params',
    title: 'Transformer parameter counter: where the parameters sit',
    description:
      'Set the vocabulary, context, width, blocks, heads and FFN width (or pick nano-gpt, GPT-2 or GPT-3) and see the parameters per component, the total, the FLOPs per token and the memory.',
    chapter: 'transformer',
    defaults: transformerParams.DEFAULT_STATE,
    parse: transformerParams.parseState,
    serialize: transformerParams.serializeState,
    load: () => import('../widgets/transformer/TransformerParams.tsx').then((m) => m.default),
  }),
  'bert-masking': entry({
    slug: 'bert-masking',
    title: 'BERT masking: 15 % chosen, 80/10/10, and what each position may read',
    description:
      'Type a sentence and see BERT’s masked-LM corruption for a seed: which words are chosen, which become [MASK], a random word or stay; then compare what a position may read under BERT’s full attention and GPT’s causal mask.',
    chapter: 'bert',
    defaults: bertMasking.DEFAULT_STATE,
    parse: bertMasking.parseState,
    serialize: bertMasking.serializeState,
    load: () => import('../widgets/bert/BertMasking.tsx').then((m) => m.default),
  }),
  'draw-digit': entry({
    slug: 'draw-digit',
    title: 'Draw a digit: a Vision Transformer and its patch attention',
    description: 'Draw a digit (or pick one from the test set): a small Vision Transformer reads it as 16 patches and a [CLS] token, shows where [CLS] attends, per head, and which digit it sees.',
    chapter: 'beyond-text',
    defaults: drawDigit.DEFAULT_STATE,
    parse: drawDigit.parseState,
    serialize: drawDigit.serializeState,
    load: () => import('../widgets/beyond-text/DrawDigit.tsx').then((m) => m.default),
  }),
  'soft-targets': entry({
    slug: 'soft-targets',
    title: 'Temperature and soft targets in knowledge distillation',
    description:
      'A teacher’s and a student’s probabilities over ten digits at temperature T: move T and see the wrong classes’ share grow, and the soft loss KL and its gradient shrink like 1/T² unless scaled by T².',
    chapter: 'distillation',
    defaults: softTargets.DEFAULT_STATE,
    parse: softTargets.parseState,
    serialize: softTargets.serializeState,
    load: () => import('../widgets/distillation/SoftTargets.tsx').then((m) => m.default),
  }),
  // The shipped models (public/models, src/components/models); each loads its ONNX model on first view.
  'next-token': entry({
    slug: 'next-token',
    title: 'Next-token distribution of a small GPT',
    description: 'Type a prompt and see the GPT’s next-token probabilities; change temperature, top-k and top-p and sample a continuation token by token.',
    chapter: 'models',
    defaults: models.NEXT_TOKEN_DEFAULTS,
    parse: models.parseNextToken,
    serialize: models.serializeNextToken,
    load: () => import('../models/NextToken.tsx').then((m) => m.default),
  }),
  'fill-blank': entry({
    slug: 'fill-blank',
    title: 'Fill in the blank with a small BERT',
    description: 'Write a sentence with [MASK] and see which words the masked language model proposes, with probabilities.',
    chapter: 'models',
    defaults: models.FILL_BLANK_DEFAULTS,
    parse: models.parseFillBlank,
    serialize: models.serializeFillBlank,
    load: () => import('../models/FillBlank.tsx').then((m) => m.default),
  }),
  'attention-viewer': entry({
    slug: 'attention-viewer',
    title: 'Attention viewer: every layer and head',
    description: 'The attention maps of a shipped Transformer (GPT, BERT or the date encoder–decoder) for your input: a layer × head grid and a token-to-token heatmap.',
    chapter: 'models',
    defaults: models.ATTENTION_DEFAULTS,
    parse: models.parseAttention,
    serialize: models.serializeAttention,
    load: () => import('../models/AttentionViewer.tsx').then((m) => m.default),
  }),
  'date-seq2seq': entry({
    slug: 'date-seq2seq',
    title: 'An encoder–decoder normalises dates, with its cross-attention',
    description: 'Type a date in any English spelling; the seq2seq model writes it as YYYY-MM-DD and shows which source characters each output character attended to.',
    chapter: 'models',
    defaults: models.DATES_DEFAULTS,
    parse: models.parseDates,
    serialize: models.serializeDates,
    load: () => import('../models/Dates.tsx').then((m) => m.default),
  }),
  'ar-forecast': entry({
    slug: 'ar-forecast',
    title: 'Forecasting births: window τ and horizon k',
    description: 'A linear autoregressive model of daily US births, retrained by gradient descent as you move the window τ; see its one-step and k-step-ahead forecasts against the seasonal naive baseline, and how the error grows with k.',
    chapter: 'sequences',
    defaults: arForecast.DEFAULT_STATE,
    parse: arForecast.parseState,
    serialize: arForecast.serializeState,
    load: () => import('../widgets/sequences/ArForecast.tsx').then((m) => m.default),
  }),
  'lstm-forecast': entry({
    slug: 'lstm-forecast',
    title: 'An LSTM forecasts daily US births',
    description: 'Pick a day; the LSTM forecasts the following weeks of US births from the previous 56 days, fed back on its own predictions, against what happened.',
    chapter: 'models',
    defaults: models.FORECAST_DEFAULTS,
    parse: models.parseForecast,
    serialize: models.serializeForecast,
    load: () => import('../models/Forecast.tsx').then((m) => m.default),
  }),
  t5: entry({
    slug: 't5',
    title: 't5-mini writes text from text: span corruption, date: and reverse:, with its cross-attention',
    description: 'Pick a task prefix and type: the small T5-style model writes its answer token by token, filling the gaps of a sentence corrupted the T5 way, normalising a date or reversing a phrase, with the cross-attention of every step.',
    chapter: 't5',
    defaults: t5.DEFAULT_STATE,
    parse: t5.parseState,
    serialize: t5.serializeState,
    load: () => import('../widgets/t5/T5Widget.tsx').then((m) => m.default),
  }),
  'remote-model': entry({
    slug: 'remote-model',
    title: 'A bigger language model from the web (GPT-2 small)',
    description: 'Give the address of a public ONNX export — GPT-2 small by default — see its size, download it with progress (or cancel), and see its next-token probabilities.',
    chapter: 'models',
    defaults: models.REMOTE_MODEL_DEFAULTS,
    parse: models.parseRemoteModel,
    serialize: models.serializeRemoteModel,
    load: () => import('../models/RemoteModel.tsx').then((m) => m.default),
  }),
  'rlhf-pairs': entry({
    slug: 'rlhf-pairs',
    title: 'You are the labeller: pick the better of two GPT continuations',
    description:
      'Two continuations of one prompt from the book’s small GPT: pick the better one, or let a built-in labeller with a written-down taste fill the rest. The labels train the RLHF chapter’s reward model and policy.',
    chapter: 'rlhf',
    defaults: rlhfPairs.DEFAULT_STATE,
    parse: rlhfPairs.parseState,
    serialize: rlhfPairs.serializeState,
    load: () => import('../widgets/rlhf/RlhfPairs.tsx').then((m) => m.default),
  }),
  'few-shot': entry({
    slug: 'few-shot',
    title: 'In-context learning: a GPT reads a secret code from the examples in its prompt',
    description:
      'A tiny GPT that never saw this code: choose how many examples the prompt shows and which letter to ask, and see its probability for each digit and where its heads attend (the induction head reads the digit after the earlier same letter).',
    chapter: 'gpt',
    defaults: fewShot.DEFAULT_STATE,
    parse: fewShot.parseState,
    serialize: fewShot.serializeState,
    load: () => import('../widgets/gpt/FewShot.tsx').then((m) => m.default),
  }),
  'gpt2-tokens': entry({
    slug: 'gpt2-tokens',
    title: 'Tokens, not words: your text cut by GPT-2’s vocabulary and by a small one',
    description:
      'Type any text and see it cut into byte-level BPE tokens by GPT-2’s 50,257-token vocabulary and by the book’s 2,048-token one, with the count of words and tokens; a leading space belongs to the token after it.',
    chapter: 'gpt',
    defaults: gpt2Tokens.DEFAULT_TOKENS_STATE,
    parse: gpt2Tokens.parseTokensState,
    serialize: gpt2Tokens.serializeTokensState,
    load: () => import('../widgets/gpt/Tokens.tsx').then((m) => m.default),
  }),
};

export type EmbedSlug = keyof typeof EMBEDS;

export function isEmbedSlug(name: string): name is EmbedSlug {
  return Object.hasOwn(EMBEDS, name);
}

/** The entry for a slug, or an error that lists the slugs that exist. */
export function embedEntry(name: string): EmbedEntry<unknown> {
  if (!isEmbedSlug(name)) {
    throw new Error(`No embeddable widget "${name}". Known widgets: ${Object.keys(EMBEDS).join(', ')} (src/components/embed/registry.ts).`);
  }
  return EMBEDS[name] as unknown as EmbedEntry<unknown>;
}
