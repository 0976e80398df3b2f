// What the preference-pairs widget computes (no DOM): the label string, filling it with the built-in
// labeller, where to go next, and how often the reader and the built-in labeller agree. The cell
// `labels` in the RLHF chapter reads the same string: lower-case letters are the reader's.
import { PAIR_COUNT } from './state.ts';

export type Verdict = 'a' | 'b' | '-';

export interface Pair {
  prompt: string;
  a: string;
  b: string;
  /** The built-in labeller's choice ('-': the two score the same). */
  builtin: Verdict;
}

/** The label string padded with '.' to one letter per pair. */
export function padded(labels: string, n = PAIR_COUNT): string {
  return labels.slice(0, n).padEnd(n, '.');
}

/** The labels with pair i set to the reader's choice; trailing '.' dropped. */
export function setLabel(labels: string, i: number, choice: Verdict): string {
  const l = padded(labels).split('');
  l[i] = choice;
  return l.join('').replace(/\.+$/, '');
}

const BUILTIN_LETTER: Record<Verdict, string> = { a: 'A', b: 'B', '-': '=' };

/** Every pair the reader has not labelled gets the built-in labeller's verdict (A, B or =). */
export function fillWithBuiltin(labels: string, pairs: readonly Pair[]): string {
  const l = padded(labels, pairs.length).split('');
  return l.map((c, i) => (c === '.' ? BUILTIN_LETTER[pairs[i]!.builtin] : c)).join('');
}

/** The first pair after `from` (wrapping round) that nobody has labelled, or -1 if none is left. */
export function nextOpen(labels: string, from: number, n = PAIR_COUNT): number {
  const l = padded(labels, n);
  for (let k = 1; k <= n; k++) {
    const i = (from + k) % n;
    if (l[i] === '.') return i;
  }
  return -1;
}

export interface LabelCounts {
  /** Pairs the reader labelled (a, b or can't tell). */
  mine: number;
  /** Pairs the built-in labeller filled in. */
  builtin: number;
  /** Of the reader's a/b choices where the built-in labeller has a preference: how many match. */
  agree: number;
  compared: number;
}

export function counts(labels: string, pairs: readonly Pair[]): LabelCounts {
  const l = padded(labels, pairs.length);
  let mine = 0, builtin = 0, agree = 0, compared = 0;
  for (let i = 0; i < pairs.length; i++) {
    const c = l[i]!;
    if (c === 'a' || c === 'b' || c === '-') mine++;
    else if (c !== '.') builtin++;
    if ((c === 'a' || c === 'b') && pairs[i]!.builtin !== '-') {
      compared++;
      if (pairs[i]!.builtin === c) agree++;
    }
  }
  return { mine, builtin, agree, compared };
}
