// One exercise = one Markdown file, src/content/exercises/<chapter>/<id>.md:
//
//   ---
//   title: Gaussian kernel weights
//   points: 2
//   timeout: 10
//   hints:
//     - First hint (Markdown, $math$ allowed).
//   ---
//   The statement, in Markdown with $math$.
//
//   ```ts starter
//   ```
//   ```ts solution
//   ```
//   ```ts tests
//   ```
//   ```ts hidden-tests        (optional)
//   ```
//
// This module reads such a file: the front matter, the blocks, and the statement with the blocks
// taken out. Pure, so the site build, the Vitest honesty tests and the regrader share it.
//
// Hidden tests are for graded courses: the course build ships only the visible `tests` block (and
// no solution), while the regrader and the self-study build run both. The hidden block continues
// the visible one (it can use what that block imports and defines), so the full suite is the two
// blocks joined.
import type { Code, Root } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMath from 'remark-math';
import { visit } from 'unist-util-visit';
import { parse as parseYaml } from 'yaml';
import { exportedNames } from './grader.ts';

export interface ExerciseMeta {
  title: string;
  points: number;
  /** Seconds the tests may run before the run is stopped (page and regrader). */
  timeout: number;
  hints: string[];
}

export interface ExerciseSource extends ExerciseMeta {
  /** `<chapter>/<id>`, from the file's path under src/content/exercises. */
  id: string;
  chapter: string;
  /** The statement, Markdown, without the code blocks. */
  statement: string;
  starter: string;
  solution: string;
  /** Every test: the visible block, then the hidden one. What the regrader and self-study run. */
  tests: string;
  /** The `tests` block alone: what a course build ships and its Check runs. */
  visibleTests: string;
  /** The `hidden-tests` block ('' when the exercise has none): kept for the instructor's regrader. */
  hiddenTests: string;
  /** Names the starter exports; the reader's code must export them too. */
  exports: string[];
}

export const BLOCKS = ['starter', 'solution', 'tests', 'hidden-tests'] as const;
export type BlockName = (typeof BLOCKS)[number];
const REQUIRED_BLOCKS: readonly BlockName[] = ['starter', 'solution', 'tests'];
export const DEFAULT_EXERCISE_TIMEOUT = 10;

/** Front matter and body of a Markdown file. */
export function splitFrontmatter(text: string, file: string): { data: Record<string, unknown>; body: string; bodyLine: number } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) throw new Error(`${file}: starts without front matter (--- title: … ---)`);
  const data = parseYaml(m[1]!) as unknown;
  if (!data || typeof data !== 'object') throw new Error(`${file}: the front matter is not a YAML mapping`);
  return { data: data as Record<string, unknown>, body: text.slice(m[0].length), bodyLine: m[0].split('\n').length };
}

export function parseMeta(data: Record<string, unknown>, file: string): ExerciseMeta {
  const { title, points = 1, timeout = DEFAULT_EXERCISE_TIMEOUT, hints = [] } = data;
  if (typeof title !== 'string' || !title.trim()) throw new Error(`${file}: front matter needs a title`);
  if (typeof points !== 'number' || !(points > 0)) throw new Error(`${file}: points must be a positive number, got ${String(points)}`);
  if (typeof timeout !== 'number' || !(timeout > 0)) throw new Error(`${file}: timeout must be seconds > 0, got ${String(timeout)}`);
  if (!Array.isArray(hints) || hints.some((h) => typeof h !== 'string')) throw new Error(`${file}: hints must be a list of strings`);
  return { title, points, timeout, hints: hints as string[] };
}

/** Reads an exercise file. `id` is `<chapter>/<name>` (its path under the exercises folder, no extension). */
export function parseExercise(text: string, id: string, file = `${id}.md`): ExerciseSource {
  const { data, body } = splitFrontmatter(text, file);
  return parseExerciseBody(body, parseMeta(data, file), id, file);
}

/** The body of an exercise file (front matter already read, e.g. by Astro's content collection). */
export function parseExerciseBody(body: string, meta: ExerciseMeta, id: string, file = `${id}.md`): ExerciseSource {
  const tree = unified().use(remarkParse).use(remarkMath).parse(body) as Root;
  const blocks: Partial<Record<BlockName, string>> = {};
  const cuts: Array<[number, number]> = [];
  visit(tree, 'code', (node: Code) => {
    const name = (node.meta ?? '').trim().split(/\s+/)[0] as BlockName;
    if (!['ts', 'typescript'].includes(node.lang ?? '') || !BLOCKS.includes(name)) return;
    if (blocks[name] !== undefined) throw new Error(`${file}: two \`\`\`ts ${name} blocks; an exercise has one of each`);
    blocks[name] = node.value;
    cuts.push([node.position!.start.offset!, node.position!.end.offset!]);
  });
  for (const name of REQUIRED_BLOCKS) {
    if (blocks[name] === undefined) throw new Error(`${file}: no \`\`\`ts ${name} block (an exercise needs starter, solution and tests)`);
  }
  const hiddenTests = blocks['hidden-tests'] ?? '';
  if (blocks['hidden-tests'] !== undefined && !/\btest\s*\(/.test(hiddenTests)) {
    throw new Error(`${file}: the \`\`\`ts hidden-tests block has no test(…); remove it or add a test`);
  }
  let statement = body;
  for (const [from, to] of cuts.sort((a, b) => b[0] - a[0])) statement = statement.slice(0, from) + statement.slice(to);
  const slash = id.indexOf('/');
  if (slash < 0) throw new Error(`${file}: exercises live in a chapter folder: src/content/exercises/<chapter>/<id>.md`);
  return {
    ...meta,
    id,
    chapter: id.slice(0, slash),
    statement: statement.replace(/\n{3,}/g, '\n\n').trim(),
    starter: blocks.starter!,
    solution: blocks.solution!,
    tests: hiddenTests ? `${blocks.tests!}\n\n${hiddenTests}` : blocks.tests!,
    visibleTests: blocks.tests!,
    hiddenTests,
    exports: exportedNames(blocks.starter!),
  };
}
