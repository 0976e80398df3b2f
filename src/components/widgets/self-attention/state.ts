// The self-attention explorer's state and its URL form
// (?text=...&emb=0.5,-0.2;...&head=1&causal=0&query=0), shared by the chapter, the embed page and
// "Copy embed code". Parsing accepts anything: bad values fall back to the defaults.
import { HEADS, MAX_TOKENS, clampCoord, defaultPoint, tokenize, type Point } from './explorer.ts';

export interface SelfAttentionState {
  text: string;
  /** One point per token of `text` (the embeddings X, one row each). */
  emb: Point[];
  /** 0-based index into HEADS. */
  head: number;
  causal: boolean;
  /** The token whose attention the plane highlights. */
  query: number;
}

export const DEFAULT_TEXT = 'Looks like I just crashed the server';
export const MAX_TEXT = 120;

// Placed by hand so that head 1 tells the chapter's story: "server" points the way "crashed" does.
const DEFAULT_EMB: Point[] = [[-0.9, 0.6], [-0.4, 1.0], [0.3, 1.1], [-1.1, 0.1], [1.0, -0.75], [-0.5, -0.8], [0.7, -0.5]];

/** The starting embeddings of a sentence: the hand-placed ones for the default, else one point per word. */
export function defaultEmbeddings(text: string): Point[] {
  return text === DEFAULT_TEXT ? DEFAULT_EMB.map(([x, y]) => [x, y]) : tokenize(text).map(defaultPoint);
}

export const DEFAULT_STATE: SelfAttentionState = {
  text: DEFAULT_TEXT,
  emb: defaultEmbeddings(DEFAULT_TEXT),
  head: 0,
  causal: false,
  query: 6,
};

/** A state for new text: fresh embeddings, the query kept if the sentence is still long enough. */
export function withText(state: SelfAttentionState, text: string): SelfAttentionState {
  const clipped = text.slice(0, MAX_TEXT);
  const emb = defaultEmbeddings(clipped);
  return { ...state, text: clipped, emb, query: Math.min(state.query, Math.max(0, emb.length - 1)) };
}

function parseEmb(raw: string | null, count: number): Point[] | null {
  if (raw === null) return null;
  const points = raw.split(';').map((pair) => pair.split(',').map(Number));
  if (points.length !== count || points.some((p) => p.length !== 2 || p.some((v) => !Number.isFinite(v)))) return null;
  return points.map(([x, y]) => [clampCoord(x!), clampCoord(y!)]);
}

export function parseState(params: URLSearchParams): SelfAttentionState {
  const rawText = params.get('text');
  const text = rawText === null || tokenize(rawText).length === 0 ? DEFAULT_STATE.text : rawText.slice(0, MAX_TEXT);
  const count = tokenize(text).length;
  const int = (key: string): number => {
    const raw = params.get(key);
    return raw === null || raw.trim() === '' ? NaN : Number(raw);
  };
  const head = int('head');
  const query = int('query');
  return {
    text,
    emb: parseEmb(params.get('emb'), count) ?? defaultEmbeddings(text),
    head: Number.isInteger(head) && head >= 1 && head <= HEADS.length ? head - 1 : DEFAULT_STATE.head,
    causal: params.get('causal') === '1',
    query: Number.isInteger(query) && query >= 0 && query < count ? query : Math.min(DEFAULT_STATE.query, count - 1),
  };
}

export function serializeState(state: SelfAttentionState): URLSearchParams {
  return new URLSearchParams({
    text: state.text,
    emb: state.emb.map(([x, y]) => `${x},${y}`).join(';'),
    head: String(state.head + 1),
    causal: state.causal ? '1' : '0',
    query: String(state.query),
  });
}

export { MAX_TOKENS };
