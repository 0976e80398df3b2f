/**
 * Character-level tokenizer: one id per Unicode code point (so an emoji is one token),
 * optionally preceded by special tokens at fixed ids.
 */

/**
 * What `encode` does with a character outside the vocabulary:
 * - 'error' (default): throws, naming the character and its position;
 * - 'skip': drops it;
 * - a token string already in the vocabulary (e.g. '[UNK]'): encodes it as that token.
 */
export type UnknownCharPolicy = 'error' | 'skip' | { replaceWith: string };

export interface CharTokenizerOptions {
  unknown?: UnknownCharPolicy;
  /**
   * Special tokens, given ids 0..n-1 in this order before the characters. Written in the
   * text they are recognized as one token (`encode('a[MASK]b')`).
   */
  specialTokens?: readonly string[];
}

export class CharTokenizer {
  /** id → token (special tokens first, then characters). */
  readonly tokens: readonly string[];
  readonly specialTokens: readonly string[];
  readonly unknown: UnknownCharPolicy;
  private readonly ids: Map<string, number>;
  private readonly specialPattern: RegExp | null;

  /** Builds from an explicit alphabet; ids follow the given order, duplicates ignored. */
  constructor(alphabet: Iterable<string> | string, options: CharTokenizerOptions = {}) {
    this.specialTokens = [...(options.specialTokens ?? [])];
    const tokens: string[] = [];
    this.ids = new Map();
    for (const s of this.specialTokens) {
      if (s.length === 0) throw new Error('CharTokenizer: a special token cannot be empty');
      if (this.ids.has(s)) throw new Error(`CharTokenizer: special token ${JSON.stringify(s)} is given twice`);
      this.ids.set(s, tokens.length);
      tokens.push(s);
    }
    const chars = typeof alphabet === 'string' ? Array.from(alphabet) : alphabet;
    for (const ch of chars) {
      if (Array.from(ch).length !== 1) {
        throw new Error(`CharTokenizer: alphabet entries must be single characters, got ${JSON.stringify(ch)}`);
      }
      if (!this.ids.has(ch)) {
        this.ids.set(ch, tokens.length);
        tokens.push(ch);
      }
    }
    this.tokens = tokens;
    this.specialPattern =
      this.specialTokens.length === 0
        ? null
        : new RegExp(
            [...this.specialTokens]
              .sort((a, b) => b.length - a.length)
              .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('|'),
            'gu',
          );
    this.unknown = options.unknown ?? 'error';
    if (typeof this.unknown === 'object' && !this.ids.has(this.unknown.replaceWith)) {
      throw new Error(
        `CharTokenizer: unknown characters are to become ${JSON.stringify(this.unknown.replaceWith)}, which is not in the vocabulary`,
      );
    }
  }

  /** The sorted set of distinct characters of the corpus (deterministic ids). */
  static fromCorpus(corpus: string | Iterable<string>, options?: CharTokenizerOptions): CharTokenizer {
    const seen = new Set<string>();
    const texts = typeof corpus === 'string' ? [corpus] : corpus;
    for (const text of texts) for (const ch of text) seen.add(ch);
    // Sort by code point, not UTF-16 unit, so astral characters order like Python's sorted(set(text)).
    const alphabet = [...seen].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer(alphabet, options);
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** The id of a character or special token, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  idToToken(id: number): string {
    const token = Number.isInteger(id) ? this.tokens[id] : undefined;
    if (token === undefined) {
      throw new Error(`CharTokenizer: id ${id} is out of range (vocabulary has ids 0..${this.vocabSize - 1})`);
    }
    return token;
  }

  isSpecialId(id: number): boolean {
    return id >= 0 && id < this.specialTokens.length;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    if (this.specialPattern === null) {
      this.encodeChars(text, 0, out);
      return out;
    }
    let start = 0;
    for (const m of text.matchAll(this.specialPattern)) {
      this.encodeChars(text.slice(start, m.index), start, out);
      out.push(this.ids.get(m[0])!);
      start = m.index + m[0].length;
    }
    this.encodeChars(text.slice(start), start, out);
    return out;
  }

  /** Concatenates the tokens; `skipSpecial` drops special tokens. */
  decode(ids: ArrayLike<number>, options: { skipSpecial?: boolean } = {}): string {
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (options.skipSpecial && this.isSpecialId(id)) continue;
      text += this.idToToken(id);
    }
    return text;
  }

  private encodeChars(text: string, offset: number, out: number[]): void {
    let position = offset;
    for (const ch of text) {
      const id = this.ids.get(ch);
      if (id !== undefined) {
        out.push(id);
      } else if (this.unknown === 'skip') {
        // dropped on purpose
      } else if (this.unknown === 'error') {
        const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        throw new Error(
          `CharTokenizer.encode: character ${JSON.stringify(ch)} (U+${code}) at index ${position} is not in the vocabulary; ` +
            `build the tokenizer from a corpus that contains it, or pass { unknown: 'skip' } or { unknown: { replaceWith: '[UNK]' } }`,
        );
      } else {
        out.push(this.ids.get(this.unknown.replaceWith)!);
      }
      position += ch.length;
    }
  }
}
