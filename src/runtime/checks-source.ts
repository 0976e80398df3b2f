// What the source-code checks look at: the reader's TypeScript with comments and string contents
// blanked out (same length, same line breaks), so a `for` in a comment or a string never counts.
// Not a parser: regular-expression literals and `${…}` inside template strings are treated as text.

/** Comments and the insides of string/template literals replaced by spaces; newlines kept. */
export function blankCommentsAndStrings(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') j++;
        else if (source[j] === '\n' && c !== '`') break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

export interface LoopFound {
  kind: string;
  /** 1-based line in the reader's code. */
  line: number;
}

/** The loop forms `check.noLoops` looks for, in words for the feedback. */
export const LOOP_FORMS = 'for, for…of, for…in, while and do…while loops, and the array methods .forEach, .map, .flatMap, .reduce and .reduceRight';

const LOOP_PATTERNS: Array<[RegExp, string]> = [
  [/\bfor\s*(?:await\s*)?\(/g, 'a `for` loop'],
  [/\bwhile\s*\(/g, 'a `while` loop'],
  [/\bdo\s*\{/g, 'a `do … while` loop'],
  [/\.\s*(forEach|map|flatMap|reduce|reduceRight)\s*\(/g, 'a call to `.$1`'],
];

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let k = 0; k < index; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/**
 * The part of `code` (already blanked) that is the body of the function or arrow named `name`,
 * as [start, end) offsets, or null when no such declaration exists.
 */
export function functionSpan(code: string, name: string): [number, number] | null {
  const escaped = name.replace(/[$]/g, '\\$');
  const decl = new RegExp(`(?:\\bfunction\\s*\\*?\\s*${escaped}\\s*[(<]|\\b(?:const|let|var)\\s+${escaped}\\b[^=]*=)`, 'g');
  const m = decl.exec(code);
  if (!m) return null;
  const open = code.indexOf('{', m.index + m[0].length);
  if (open < 0) return null;
  let depth = 0;
  for (let k = open; k < code.length; k++) {
    if (code[k] === '{') depth++;
    else if (code[k] === '}' && --depth === 0) return [m.index, k + 1];
  }
  return [m.index, code.length];
}

/** Every loop form in the reader's code (or in one named function of it), in source order. */
export function findLoops(source: string, inFunction?: string): LoopFound[] {
  const code = blankCommentsAndStrings(source);
  let [from, to] = [0, code.length];
  if (inFunction) {
    const span = functionSpan(code, inFunction);
    if (!span) return [];
    [from, to] = span;
  }
  const found: Array<LoopFound & { at: number }> = [];
  for (const [pattern, kind] of LOOP_PATTERNS) {
    pattern.lastIndex = 0;
    for (const m of code.matchAll(pattern)) {
      if (m.index < from || m.index >= to) continue;
      found.push({ kind: kind.replace('$1', m[1] ?? ''), line: lineAt(code, m.index), at: m.index });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ kind, line }) => ({ kind, line }));
}

/** Lines (1-based) where `word` appears as code — a name or a method call — outside comments/strings. */
export function findWord(source: string, word: string): number[] {
  const code = blankCommentsAndStrings(source);
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lead = /^\w/.test(word) ? '(?<![\\w$])' : '';
  const trail = /\w$/.test(word) ? '(?![\\w$])' : '';
  return [...code.matchAll(new RegExp(`${lead}${escaped}${trail}`, 'g'))].map((m) => lineAt(code, m.index));
}
