// The t5-mini widget's state and its URL form (?task=date&text=July+4%2C+1976&seed=1&layer=1&head=-1),
// shared by the chapter, the embed page and the "Copy embed code" snippet.

export type T5Task = 'span' | 'date' | 'reverse';

export interface T5State {
  task: T5Task;
  /** What the reader typed: a sentence (span corruption), a date, or a phrase. */
  text: string;
  /** Which words span corruption drops (a seed of the same procedure as training). */
  seed: number;
  /** Decoder layer whose cross-attention is shown (0-based). */
  layer: number;
  /** -1 = the mean over heads. */
  head: number;
}

export const TASKS: readonly T5Task[] = ['span', 'date', 'reverse'];
export const PREFIX: Record<T5Task, string> = { span: '', date: 'date: ', reverse: 'reverse: ' };
export const TASK_LABEL: Record<T5Task, string> = { span: 'fill the gaps (no prefix)', date: 'date:', reverse: 'reverse:' };
export const EXAMPLE: Record<T5Task, string> = {
  span: 'We must protect the rights of every American citizen and keep the peace of the world.',
  date: 'July 4, 1976',
  reverse: 'the Union',
};
/** Longest text a reader may type (the model reads at most 200 characters with its prefix). */
export const MAX_TEXT = 180;

export const DEFAULT_STATE: T5State = { task: 'span', text: EXAMPLE.span, seed: 1, layer: 1, head: -1 };

const intIn = (raw: string | null, d: number, lo: number, hi: number): number => {
  const v = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : d;
};

/** Reads the state from a query string; anything missing or bad becomes the default. */
export function parseState(p: URLSearchParams): T5State {
  const task = (TASKS as readonly string[]).includes(p.get('task') ?? '') ? (p.get('task') as T5Task) : DEFAULT_STATE.task;
  const raw = p.get('text');
  const text = raw === null || raw.trim() === '' ? EXAMPLE[task] : raw.slice(0, MAX_TEXT);
  return {
    task,
    text,
    seed: intIn(p.get('seed'), DEFAULT_STATE.seed, 0, 1_000_000),
    layer: intIn(p.get('layer'), DEFAULT_STATE.layer, 0, 1),
    head: intIn(p.get('head'), DEFAULT_STATE.head, -1, 3),
  };
}

export function serializeState(s: T5State): URLSearchParams {
  return new URLSearchParams({ task: s.task, text: s.text, seed: String(s.seed), layer: String(s.layer), head: String(s.head) });
}
