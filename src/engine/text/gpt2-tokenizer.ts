/**
 * GPT-2's byte-level BPE tokenizer, built from OpenAI's `encoder.json` (token → id) and
 * `vocab.bpe` (merges, one "left right" pair per line, earlier = higher priority).
 *
 * Pure TypeScript with no I/O: callers hand over the two files' contents, so the same
 * class works in a page, a worker and Node. See `loadGpt2Tokenizer` (fetch) here and
 * `./node.ts` (file system) for loaders.
 */
import { BYTE_TO_CHAR, unicodeToBytes } from './byte-unicode.ts';

/**
 * GPT-2's pre-tokenization pattern: English contractions, then runs of letters, of
 * digits, or of other symbols (each optionally led by one space), then whitespace. A
 * whitespace run followed by a word keeps its last space for that word (`\s+(?!\S)`).
 */
export const GPT2_PRETOKENIZE_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export const GPT2_END_OF_TEXT = '<|endoftext|>';

export interface Gpt2TokenizerOptions {
  /**
   * Strings encoded as one id when they occur in the text (default: `<|endoftext|>`
   * when the vocabulary has it). Each must be a key of the encoder.
   */
  specialTokens?: readonly string[];
  /** Most pre-tokenized words whose BPE result is remembered (default 50 000). */
  cacheSize?: number;
}

export interface Gpt2EncodeOptions {
  /**
   * When true (default) a special token written in the text, such as `<|endoftext|>`,
   * becomes its single id; when false it is encoded as ordinary characters.
   */
  allowSpecial?: boolean;
  /**
   * Put one space before the text when it does not start with whitespace (default false; Hugging
   * Face's `add_prefix_space`). In running text nearly every word follows a space, so a vocabulary
   * learned from it has ' The' as one token but may have to spell a text-initial 'The' as T, h, e;
   * with the space, the first word is cut as it is everywhere else.
   */
  addPrefixSpace?: boolean;
}

/** Splits text into GPT-2's pre-tokens (the pieces BPE is applied to one by one). */
export function gpt2Pretokenize(text: string): string[] {
  return Array.from(text.matchAll(GPT2_PRETOKENIZE_PATTERN), (m) => m[0]);
}

/** Parses `vocab.bpe`: skips the `#version` header and blank lines. */
export function parseMerges(mergesText: string): Array<[string, string]> {
  const merges: Array<[string, string]> = [];
  const lines = mergesText.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0 || (i === 0 && line.startsWith('#version'))) continue;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new Error(
        `parseMerges: line ${i + 1} should be two symbols separated by one space, got ${JSON.stringify(line)}`,
      );
    }
    merges.push([parts[0]!, parts[1]!]);
  }
  return merges;
}

const textEncoder = new TextEncoder();

export class Gpt2Tokenizer {
  /** Token string (byte-level form, e.g. 'Ġthe') → id. */
  private readonly encoder: Map<string, number>;
  /** id → token string. */
  private readonly decoder: string[];
  /** 'left right' → merge rank (lower merges first). Symbols never contain a space. */
  private readonly mergeRanks: Map<string, number>;
  private readonly specials: Map<string, number>;
  private readonly specialPattern: RegExp | null;
  private readonly cache = new Map<string, readonly number[]>();
  private readonly cacheSize: number;

  constructor(
    encoder: Readonly<Record<string, number>>,
    merges: ReadonlyArray<readonly [string, string]>,
    options: Gpt2TokenizerOptions = {},
  ) {
    this.encoder = new Map(Object.entries(encoder));
    this.decoder = [];
    for (const [token, id] of this.encoder) {
      if (!Number.isInteger(id) || id < 0) {
        throw new Error(`Gpt2Tokenizer: id of token ${JSON.stringify(token)} must be a non-negative integer, got ${id}`);
      }
      if (this.decoder[id] !== undefined) {
        throw new Error(`Gpt2Tokenizer: id ${id} is used by both ${JSON.stringify(this.decoder[id])} and ${JSON.stringify(token)}`);
      }
      this.decoder[id] = token;
    }
    this.mergeRanks = new Map(merges.map(([a, b], rank) => [`${a} ${b}`, rank] as const));

    const specialList =
      options.specialTokens ?? (this.encoder.has(GPT2_END_OF_TEXT) ? [GPT2_END_OF_TEXT] : []);
    this.specials = new Map();
    for (const s of specialList) {
      const id = this.encoder.get(s);
      if (id === undefined) throw new Error(`Gpt2Tokenizer: special token ${JSON.stringify(s)} is not in the vocabulary`);
      this.specials.set(s, id);
    }
    this.specialPattern =
      specialList.length === 0
        ? null
        : new RegExp(
            [...specialList]
              .sort((a, b) => b.length - a.length)
              .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('|'),
            'g',
          );
    this.cacheSize = options.cacheSize ?? 50_000;
  }

  /**
   * Builds a tokenizer from the two files' contents: `encoderJson` as text or already
   * parsed, `mergesText` as the text of `vocab.bpe`.
   */
  static fromFiles(
    encoderJson: string | Readonly<Record<string, number>>,
    mergesText: string,
    options?: Gpt2TokenizerOptions,
  ): Gpt2Tokenizer {
    const encoder =
      typeof encoderJson === 'string' ? (JSON.parse(encoderJson) as Record<string, number>) : encoderJson;
    return new Gpt2Tokenizer(encoder, parseMerges(mergesText), options);
  }

  /** Number of ids (50 257 for GPT-2: 256 bytes + 50 000 merges + `<|endoftext|>`). */
  get vocabSize(): number {
    return this.decoder.length;
  }

  /** The id of `<|endoftext|>`, or undefined when the vocabulary lacks it. */
  get endOfTextId(): number | undefined {
    return this.encoder.get(GPT2_END_OF_TEXT);
  }

  get specialTokens(): readonly string[] {
    return [...this.specials.keys()];
  }

  encode(text: string, options: Gpt2EncodeOptions = {}): number[] {
    const ids: number[] = [];
    const allowSpecial = options.allowSpecial ?? true;
    if (options.addPrefixSpace && text.length > 0 && !/^\s/u.test(text)) text = ` ${text}`;
    if (!allowSpecial || this.specialPattern === null) {
      this.encodeOrdinary(text, ids);
      return ids;
    }
    let start = 0;
    for (const m of text.matchAll(this.specialPattern)) {
      this.encodeOrdinary(text.slice(start, m.index), ids);
      ids.push(this.specials.get(m[0])!);
      start = m.index + m[0].length;
    }
    this.encodeOrdinary(text.slice(start), ids);
    return ids;
  }

  /** Bytes of the tokens, decoded as UTF-8 (invalid sequences become U+FFFD). */
  decode(ids: ArrayLike<number>): string {
    return new TextDecoder().decode(this.decodeBytes(ids));
  }

  /** The raw bytes the ids stand for; a token may end in the middle of a character. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    let byteLevel = '';
    for (let i = 0; i < ids.length; i++) byteLevel += this.idToToken(ids[i]!);
    return unicodeToBytes(byteLevel);
  }

  /** Each id's own text, for showing how a string was cut (partial characters → U+FFFD). */
  tokenStrings(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (id) => this.decode([id]));
  }

  /** The vocabulary entry in byte-level form, e.g. 262 → 'Ġthe'. */
  idToToken(id: number): string {
    const token = Number.isInteger(id) ? this.decoder[id] : undefined;
    if (token === undefined) {
      throw new Error(`Gpt2Tokenizer: id ${id} is not in the vocabulary (ids are integers 0..${this.vocabSize - 1})`);
    }
    return token;
  }

  /** The id of a byte-level vocabulary entry such as 'Ġthe', or undefined. */
  tokenToId(token: string): number | undefined {
    return this.encoder.get(token);
  }

  private encodeOrdinary(text: string, out: number[]): void {
    if (text.length === 0) return;
    for (const piece of gpt2Pretokenize(text)) {
      for (const id of this.encodePiece(piece)) out.push(id);
    }
  }

  private encodePiece(piece: string): readonly number[] {
    const cached = this.cache.get(piece);
    if (cached !== undefined) return cached;
    let byteLevel = '';
    for (const b of textEncoder.encode(piece)) byteLevel += BYTE_TO_CHAR[b];
    const ids = this.bpe(byteLevel).map((symbol) => {
      const id = this.encoder.get(symbol);
      if (id === undefined) {
        throw new Error(`Gpt2Tokenizer: BPE produced ${JSON.stringify(symbol)}, which is not in the vocabulary`);
      }
      return id;
    });
    // A simple bound: forget everything when full (pieces repeat mostly within one text).
    if (this.cache.size >= this.cacheSize) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /** Repeatedly merges the adjacent pair with the lowest rank, all its occurrences at once. */
  private bpe(byteLevel: string): string[] {
    let symbols = Array.from(byteLevel);
    while (symbols.length > 1) {
      let bestRank = Infinity;
      let bestLeft = '';
      let bestRight = '';
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.mergeRanks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          bestLeft = symbols[i]!;
          bestRight = symbols[i + 1]!;
        }
      }
      if (bestRank === Infinity) break;
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; ) {
        if (i + 1 < symbols.length && symbols[i] === bestLeft && symbols[i + 1] === bestRight) {
          merged.push(bestLeft + bestRight);
          i += 2;
        } else {
          merged.push(symbols[i]!);
          i += 1;
        }
      }
      symbols = merged;
    }
    return symbols;
  }
}

/**
 * Fetches `encoder.json` and `vocab.bpe` (page, worker or Node 18+, which all have
 * `fetch`) and builds the tokenizer. `baseUrl` is the folder holding both files.
 */
export async function loadGpt2Tokenizer(
  baseUrl: string | URL,
  options?: Gpt2TokenizerOptions & { fetch?: typeof fetch },
): Promise<Gpt2Tokenizer> {
  const doFetch = options?.fetch ?? fetch;
  const base = String(baseUrl).endsWith('/') ? String(baseUrl) : `${String(baseUrl)}/`;
  const get = async (name: string): Promise<string> => {
    const url = `${base}${name}`;
    const res = await doFetch(url);
    if (!res.ok) throw new Error(`loadGpt2Tokenizer: GET ${url} failed with HTTP ${res.status}`);
    return res.text();
  };
  const [encoderJson, mergesText] = await Promise.all([get('encoder.json'), get('vocab.bpe')]);
  return Gpt2Tokenizer.fromFiles(encoderJson, mergesText, options);
}
