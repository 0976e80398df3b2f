// The model widgets' states and their URL forms (for /embed/<slug>/ and "Copy embed code").
// Parsers accept anything: missing or bad values fall back to the defaults.

export interface NextTokenState {
  model: 'gpt-sotu' | 'gpt-sotu-student';
  prompt: string;
  temperature: number;
  topK: number;
  /** 1 = off. */
  topP: number;
}

export interface FillBlankState {
  sentence: string;
}

export type AttentionModel = 'gpt-sotu' | 'bert-sotu' | 'seq2seq-dates' | 'gpt-sotu-student';

export interface AttentionViewerState {
  model: AttentionModel;
  text: string;
  layer: number;
  head: number;
}

export interface DatesState {
  source: string;
  layer: number;
  /** -1 = the average over heads. */
  head: number;
}

export interface ForecastState {
  /** ISO date of the first forecast day (inside the series, after the first 56 days). */
  start: string;
  days: number;
}

const str = (p: URLSearchParams, k: string, d: string, max = 200): string => {
  const v = p.get(k);
  return v === null || v.trim() === '' ? d : v.slice(0, max);
};
const num = (p: URLSearchParams, k: string, d: number, lo: number, hi: number, integer = false): number => {
  const raw = p.get(k);
  const v = raw === null || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) return d;
  const c = Math.min(hi, Math.max(lo, v));
  return integer ? Math.round(c) : c;
};
const oneOf = <T extends string>(p: URLSearchParams, k: string, options: readonly T[], d: T): T => {
  const v = p.get(k);
  return options.includes(v as T) ? (v as T) : d;
};

export const NEXT_TOKEN_DEFAULTS: NextTokenState = { model: 'gpt-sotu', prompt: 'The people of the United States', temperature: 0.8, topK: 20, topP: 1 };
export function parseNextToken(p: URLSearchParams): NextTokenState {
  const d = NEXT_TOKEN_DEFAULTS;
  return {
    model: oneOf(p, 'model', ['gpt-sotu', 'gpt-sotu-student'] as const, d.model),
    prompt: str(p, 'prompt', d.prompt, 400),
    temperature: num(p, 'temperature', d.temperature, 0, 2),
    topK: num(p, 'topK', d.topK, 1, 50, true),
    topP: num(p, 'topP', d.topP, 0.05, 1),
  };
}
export function serializeNextToken(s: NextTokenState): URLSearchParams {
  return new URLSearchParams({ model: s.model, prompt: s.prompt, temperature: String(s.temperature), topK: String(s.topK), topP: String(s.topP) });
}

export const FILL_BLANK_DEFAULTS: FillBlankState = { sentence: 'We must protect our [MASK] and our children.' };
export function parseFillBlank(p: URLSearchParams): FillBlankState {
  return { sentence: str(p, 'sentence', FILL_BLANK_DEFAULTS.sentence) };
}
export function serializeFillBlank(s: FillBlankState): URLSearchParams {
  return new URLSearchParams({ sentence: s.sentence });
}

export const ATTENTION_MODELS: readonly AttentionModel[] = ['gpt-sotu', 'bert-sotu', 'seq2seq-dates', 'gpt-sotu-student'];
export const ATTENTION_DEFAULTS: AttentionViewerState = { model: 'gpt-sotu', text: 'The Congress shall make no law', layer: 0, head: 0 };
export function parseAttention(p: URLSearchParams): AttentionViewerState {
  const d = ATTENTION_DEFAULTS;
  return {
    model: oneOf(p, 'model', ATTENTION_MODELS, d.model),
    text: str(p, 'text', d.text),
    layer: num(p, 'layer', 0, 0, 7, true),
    head: num(p, 'head', 0, 0, 7, true),
  };
}
export function serializeAttention(s: AttentionViewerState): URLSearchParams {
  return new URLSearchParams({ model: s.model, text: s.text, layer: String(s.layer), head: String(s.head) });
}

export const DATES_DEFAULTS: DatesState = { source: '3rd of March 2021', layer: 1, head: -1 };
export function parseDates(p: URLSearchParams): DatesState {
  return { source: str(p, 'source', DATES_DEFAULTS.source, 48), layer: num(p, 'layer', 1, 0, 1, true), head: num(p, 'head', -1, -1, 3, true) };
}
export function serializeDates(s: DatesState): URLSearchParams {
  return new URLSearchParams({ source: s.source, layer: String(s.layer), head: String(s.head) });
}

export const FORECAST_DEFAULTS: ForecastState = { start: '2013-11-18', days: 28 };
export function parseForecast(p: URLSearchParams): ForecastState {
  const start = p.get('start');
  return {
    start: start && /^(200\d|201[0-4])-\d\d-\d\d$/.test(start) ? start : FORECAST_DEFAULTS.start,
    days: num(p, 'days', FORECAST_DEFAULTS.days, 7, 56, true),
  };
}
export function serializeForecast(s: ForecastState): URLSearchParams {
  return new URLSearchParams({ start: s.start, days: String(s.days) });
}

export interface RemoteModelState {
  /** A .onnx file or a model folder on the web. */
  url: string;
  prompt: string;
}

/** GPT-2 small (124 M parameters, 8-bit weights, about 130 MB) as exported for Transformers.js. */
export const GPT2_SMALL_URL = 'https://huggingface.co/Xenova/gpt2/resolve/main/onnx/decoder_model_quantized.onnx';
export const REMOTE_MODEL_DEFAULTS: RemoteModelState = { url: GPT2_SMALL_URL, prompt: 'The people of the United States' };
export function parseRemoteModel(p: URLSearchParams): RemoteModelState {
  return { url: str(p, 'url', REMOTE_MODEL_DEFAULTS.url, 500), prompt: str(p, 'prompt', REMOTE_MODEL_DEFAULTS.prompt, 400) };
}
export function serializeRemoteModel(s: RemoteModelState): URLSearchParams {
  return new URLSearchParams({ url: s.url, prompt: s.prompt });
}
