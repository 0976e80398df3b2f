// `viewers.attention` and `viewers.nextToken` for cells: the book's attention viewer (every layer
// and head) and next-token view, opened in a cell's output on a model the reader built or trained.
// The model runs here, in the cell's worker; only what the viewers draw crosses to the page.
import { Tensor, noGrad, recordAttention, tensor, tidy } from '../engine/index.ts';
import type { RecordedAttention } from '../engine/index.ts';
import type { AttentionGroup, ModelView } from './protocol.ts';
import { currentHost } from './cell-api.ts';

/** What the viewers can run: an engine module (its forward(input)) or any function of the input. */
export type Viewable = { forward(input: Tensor): unknown; namedModules?(): Array<[string, unknown]> } | ((input: Tensor) => unknown);

export interface ViewerOptions {
  /** Turns a text input into ids, and ids into token labels (a tokenizer from models.load, or a text.CharTokenizer). */
  tokenizer?: { encode(text: string): number[]; decode(ids: number[]): string };
  /** Labels for the input's positions (default: each id decoded by the tokenizer, else the ids). */
  tokens?: string[];
  /** Labels for the positions cross-attention attends to (an encoder's input), when they differ. */
  sourceTokens?: string[];
  title?: string;
}

export interface NextTokenOptions extends ViewerOptions {
  /** How many tokens the view can show at most (the rest of the vocabulary is left out); default 2048. */
  maxTokens?: number;
}

/** Positions a map shows at most (the last ones): a bigger map is unreadable and slow to draw. */
export const MAX_VIEW_POSITIONS = 64;
/** Layers × heads one group shows at most. */
export const MAX_VIEW_MAPS = 64;

interface Prepared {
  input: Tensor;
  ids: number[] | null;
  labels: string[] | null;
}

function prepare(input: string | number[] | Tensor, opts: ViewerOptions, what: string): Prepared {
  if (typeof input === 'string') {
    if (!opts.tokenizer) throw new Error(`${what}: a text input needs { tokenizer } to turn it into ids (or pass the ids)`);
    input = opts.tokenizer.encode(input);
  }
  if (Array.isArray(input)) {
    if (input.length === 0) throw new Error(`${what}: the input is empty`);
    const ids = input.map(Number);
    const labels = opts.tokens ?? (opts.tokenizer ? ids.map((id) => opts.tokenizer!.decode([id])) : ids.map(String));
    return { input: tensor([ids], { dtype: 'int32' }), ids, labels };
  }
  if (!(input instanceof Tensor)) throw new Error(`${what}: the input must be text, an array of token ids or a tensor`);
  return { input: input.ndim === 1 ? input.unsqueeze(0) : input, ids: null, labels: opts.tokens ?? null };
}

/** Runs the model in eval mode with no gradients, restoring each submodule's mode afterwards. */
function runModel<T>(model: Viewable, input: Tensor, what: string, body: (run: () => unknown) => T): T {
  if (typeof model !== 'function' && (typeof model !== 'object' || model === null || typeof model.forward !== 'function')) {
    throw new Error(`${what}: pass a model with a forward(input) method, or a function (input) => output`);
  }
  const modules = typeof model === 'function' ? [] : allModules(model);
  const modes = modules.map((m) => m.training);
  for (const m of modules) m.training = false;
  try {
    return noGrad(() => body(() => (typeof model === 'function' ? model(input) : model.forward(input))));
  } finally {
    modules.forEach((m, i) => (m.training = modes[i]!));
  }
}

function allModules(model: object): Array<{ training: boolean }> {
  const named = (model as { namedModules?: () => Array<[string, unknown]> }).namedModules?.() ?? [];
  return named.map(([, m]) => m as { training: boolean }).filter((m) => typeof m?.training === 'boolean');
}

/** Each recorded map as [H, L, S] of batch element 0. */
function headsOf(w: Tensor): Tensor {
  if (w.ndim === 2) return w.unsqueeze(0);
  if (w.ndim === 3) return w;
  const [L, S] = w.shape.slice(-2) as [number, number];
  const H = w.shape[w.ndim - 3]!;
  return w.reshape([-1, H, L, S]).select(0, 0);
}

const position = (n: number) => Array.from({ length: n }, (_, i) => String(i));

function labelsFor(n: number, preferred: string[] | null | undefined): string[] {
  return preferred && preferred.length === n ? preferred : position(n);
}

interface Group {
  kind: string;
  /** Per layer, [H, L, S] views of batch element 0. */
  maps: Tensor[];
}

/** Maps of one attention module stack, or of one kind and shape, go together, layer by layer in call order. */
function groupRecords(records: RecordedAttention[], names: Map<unknown, string>): Group[] {
  const byKey = new Map<string, Group>();
  for (const r of records) {
    const maps = headsOf(r.weights);
    const [H, L, S] = maps.shape as [number, number, number];
    // Layers of one stack share a name up to the layer number: blocks.0.self_attn → blocks.*.self_attn.
    const name = names.get(r.module)?.replace(/\.\d+(?=\.|$)/g, '.*');
    const kind = r.kind === 'attention' ? 'attention' : `${r.kind}-attention`;
    const key = `${name ?? kind}|${H}|${L}|${S}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { kind: name ? `${name}: ${kind}` : kind, maps: [] }));
    g.maps.push(maps);
  }
  return [...byKey.values()];
}

/** The groups' numbers, cut to what the viewer can show, with labels for rows and columns. */
async function readGroups(groups: Group[], labels: string[] | null, source: string[] | undefined): Promise<{ groups: AttentionGroup[]; note?: string }> {
  const notes: string[] = [];
  const out: AttentionGroup[] = [];
  for (const { kind, maps } of groups) {
    const [H, L, S] = maps[0]!.shape as [number, number, number];
    const layers = Math.max(1, Math.min(maps.length, Math.floor(MAX_VIEW_MAPS / H)));
    const heads = Math.min(H, MAX_VIEW_MAPS);
    if (layers < maps.length || heads < H) notes.push(`${kind}: showing ${layers} of ${maps.length} layers and ${heads} of ${H} heads`);
    const L0 = Math.max(0, L - MAX_VIEW_POSITIONS);
    const S0 = Math.max(0, S - MAX_VIEW_POSITIONS);
    if (L0 || S0) notes.push(`${kind}: showing the last ${MAX_VIEW_POSITIONS} positions`);
    const data: number[] = [];
    for (const m of maps.slice(0, layers)) {
      const cut = tidy(() => m.slice(0, 0, heads).slice(1, L0, L).slice(2, S0, S).clone());
      data.push(...(await cut.data()));
      cut.dispose();
    }
    const rows = labelsFor(L, labels).slice(L0);
    const cols = labelsFor(S, S === labels?.length ? labels : source).slice(S0);
    out.push({ kind, rows, cols, maps: { layers, heads, rows: rows.length, cols: cols.length, data } });
  }
  return { groups: out, ...(notes.length ? { note: `${notes.join('; ')}.` } : {}) };
}

function show(view: Promise<ModelView>, what: string): Promise<void> {
  const host = currentHost();
  if (!host.view) throw new Error(`${what}: the model viewers are not available here (they open in the book's cells)`);
  host.view(view);
  return view.then(() => undefined);
}

export const viewers = {
  /**
   * The book's attention viewer on your model: every layer and head of every attention it computed
   * for one input (text with { tokenizer }, token ids, or a tensor), rows attending to columns.
   * Works on models built from the engine's attention (nn.MultiheadAttention, nn.Transformer*Layer,
   * GPT, BERT, Seq2Seq, F.scaledDotProductAttention).
   */
  attention(model: Viewable, input: string | number[] | Tensor, opts: ViewerOptions = {}): Promise<void> {
    const what = 'viewers.attention';
    const p = prepare(input, opts, what);
    const names = new Map<unknown, string>(typeof model === 'function' ? [] : (model.namedModules?.() ?? []).map(([n, m]) => [m, n]));
    // tidy frees what the forward made (its output included); the recorded weights are kept copies.
    const attention = runModel(model, p.input, what, (run) => tidy(() => recordAttention(run).attention));
    const view = (async (): Promise<ModelView> => {
      try {
        if (attention.length === 0) {
          throw new Error(`${what}: the model computed no attention (the viewer sees nn.MultiheadAttention, the Transformer layers and F.scaledDotProductAttention; attention written by hand with softmax and matmul is invisible to it)`);
        }
        const grouped = groupRecords(attention, names);
        const { groups, note } = await readGroups(grouped, p.labels, opts.sourceTokens).finally(() => grouped.forEach((g) => g.maps.forEach((m) => m.dispose())));
        return { view: 'attention', title: opts.title ?? 'Attention of your model', groups, ...(note ? { note } : {}) };
      } finally {
        for (const a of attention) a.weights.dispose();
        if (p.input !== input) p.input.dispose();
      }
    })();
    return show(view, what);
  },

  /**
   * The book's next-token view on your model: the distribution over the token after the input,
   * with temperature, top-k and top-p to play with. The model's output must be logits
   * [1, T, V] (or [T, V], or an object with a `logits` tensor); each token's label is the
   * tokenizer's text for it (give { tokenizer }), else its id.
   */
  nextToken(model: Viewable, input: string | number[] | Tensor, opts: NextTokenOptions = {}): Promise<void> {
    const what = 'viewers.nextToken';
    const p = prepare(input, opts, what);
    const last = runModel(model, p.input, what, (run) =>
      tidy(() => {
        const out = run();
        const logits = out instanceof Tensor ? out : (out as { logits?: unknown } | null)?.logits;
        if (!(logits instanceof Tensor)) throw new Error(`${what}: the model returned ${out === null ? 'null' : typeof out}, not logits (a tensor [1, T, V] or { logits })`);
        const V = logits.shape[logits.ndim - 1]!;
        return (logits.ndim === 1 ? logits : logits.reshape([-1, V]).select(0, -1)).clone();
      }),
    );
    const V = last.shape[0]!;
    const view = (async (): Promise<ModelView> => {
      try {
        const all = Array.from(await last.data(), Number);
        if (all.some((v) => Number.isNaN(v))) throw new Error(`${what}: the model's logits contain NaN`);
        const max = Math.min(V, opts.maxTokens ?? 2048);
        const order = Array.from(all.keys()).sort((a, b) => all[b]! - all[a]!).slice(0, max);
        const label = (id: number) => (opts.tokenizer ? opts.tokenizer.decode([id]) : String(id));
        return {
          view: 'next-token',
          title: opts.title ?? 'Next token from your model',
          context: (p.labels ?? []).slice(-MAX_VIEW_POSITIONS),
          tokens: order.map(label),
          logits: order.map((id) => all[id]!),
          ...(max < V ? { note: `The ${max} most likely of ${V} tokens.` } : {}),
        };
      } finally {
        last.dispose();
        if (p.input !== input) p.input.dispose();
      }
    })();
    return show(view, what);
  },
};
