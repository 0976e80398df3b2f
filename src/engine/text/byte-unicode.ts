/**
 * GPT-2's reversible byte ↔ unicode-character table.
 *
 * BPE merges operate on strings, but GPT-2 tokenizes raw UTF-8 bytes. Each of the 256
 * byte values is given one printable character: bytes that are already printable
 * Latin-1 characters ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves, the other 68
 * (control characters, space, soft hyphen...) are shifted to U+0100 upwards in byte
 * order. That is why a leading space shows up as 'Ġ' (U+0120) in the vocabulary.
 */

function printableLatin1Bytes(): number[] {
  const bytes: number[] = [];
  const ranges: Array<[number, number]> = [
    [0x21, 0x7e],
    [0xa1, 0xac],
    [0xae, 0xff],
  ];
  for (const [lo, hi] of ranges) for (let b = lo; b <= hi; b++) bytes.push(b);
  return bytes;
}

function buildByteToChar(): string[] {
  const table: string[] = new Array<string>(256);
  const printable = new Set(printableLatin1Bytes());
  for (const b of printable) table[b] = String.fromCharCode(b);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.has(b)) table[b] = String.fromCharCode(256 + shifted++);
  }
  return table;
}

/** `BYTE_TO_CHAR[b]` is the one-character string standing for byte `b`. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** Inverse of {@link BYTE_TO_CHAR}: character → byte value. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(
  BYTE_TO_CHAR.map((ch, b) => [ch, b] as const),
);

/** Maps UTF-8 bytes to GPT-2's byte-level string. */
export function bytesToUnicode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += BYTE_TO_CHAR[b];
  return out;
}

/** Maps a byte-level string back to bytes; throws on a character outside the table. */
export function unicodeToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = CHAR_TO_BYTE.get(text[i]!);
    if (b === undefined) {
      throw new Error(
        `unicodeToBytes: character ${JSON.stringify(text[i])} (U+${text
          .charCodeAt(i)
          .toString(16)
          .toUpperCase()
          .padStart(4, '0')}) is not in GPT-2's byte table`,
      );
    }
    bytes[i] = b;
  }
  return bytes;
}
