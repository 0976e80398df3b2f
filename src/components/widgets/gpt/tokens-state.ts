// The tokenizer comparison's state and its URL form (?text=…).
export interface TokensState {
  text: string;
}

export const DEFAULT_TOKENS_STATE: TokensState = { text: 'To date, the cleverest thinker of all time was' };

export function parseTokensState(p: URLSearchParams): TokensState {
  const t = p.get('text');
  return { text: t === null || t.trim() === '' ? DEFAULT_TOKENS_STATE.text : t.slice(0, 1000) };
}

export function serializeTokensState(s: TokensState): URLSearchParams {
  return new URLSearchParams({ text: s.text });
}

/** A token as shown in a chip: a leading space as ␣, other whitespace escaped. */
export function showToken(t: string): string {
  return t.replace(/^ /, '␣').replace(/\n/g, '⏎').replace(/\t/g, '⇥');
}

/** Words as a reader counts them: runs of non-space characters. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}
