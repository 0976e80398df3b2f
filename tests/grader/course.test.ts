// Hidden tests, for graded courses: the exercise format's ```ts hidden-tests block, and the
// instructor's regrader grading with it — a submission that passes every test a course build
// shows its student still loses the points of the hidden tests it fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExercises } from '../../src/components/exercise/load-exercises.ts';
import { parseExercise } from '../../src/runtime/exercise-source.ts';
import { gradeCode } from '../../src/runtime/grader.ts';
import type { CellConsole } from '../../src/runtime/execute.ts';
import { gradeFolder } from '../../scripts/grade-batch.ts';

const quiet: CellConsole = { log() {}, info() {}, warn() {}, error() {} };
const host = { plot() {}, progress() {} };
const fence = (name: string, code: string) => `\`\`\`ts ${name}\n${code}\n\`\`\`\n`;
const file = (...blocks: string[]) =>
  `---\ntitle: Double\n---\nWrite \`double(x)\`.\n\n${fence('starter', 'export const double = (x: number) => x;')}\n${fence('solution', 'export const double = (x: number) => 2 * x;')}\n${blocks.join('\n')}`;
const visible = "const twice = (x: number) => 2 * x;\ntest('doubles 1', () => check.equal(double(1), twice(1)));";
const hidden = "test('doubles -3', () => check.equal(double(-3), twice(-3)));";

describe('the hidden-tests block', () => {
  test('continues the tests block: the full suite is both, a course build ships the first', async () => {
    const ex = parseExercise(file(fence('tests', visible), 'Then the instructor checks more.\n', fence('hidden-tests', hidden)), 'ch/double');
    expect(ex.visibleTests).toBe(visible);
    expect(ex.hiddenTests).toBe(hidden);
    expect(ex.tests).toBe(`${visible}\n\n${hidden}`);
    expect(ex.statement).toBe('Write `double(x)`.\n\nThen the instructor checks more.');
    // The hidden test uses the visible block's helper.
    const report = await gradeCode({ code: ex.solution, tests: ex.tests, expectedExports: ex.exports, console: quiet, host });
    expect(report).toMatchObject({ passed: 2, total: 2 });
  });

  test('is optional: without it every test is visible', () => {
    const ex = parseExercise(file(fence('tests', visible)), 'ch/double');
    expect(ex.hiddenTests).toBe('');
    expect(ex.tests).toBe(ex.visibleTests);
  });

  test('bad blocks get a clear message', () => {
    expect(() => parseExercise(file(fence('tests', visible), fence('hidden-tests', '// later')), 'ch/double')).toThrow(
      'ch/double.md: the ```ts hidden-tests block has no test(…); remove it or add a test',
    );
    expect(() => parseExercise(file(fence('tests', visible), fence('hidden-tests', hidden), fence('hidden-tests', hidden)), 'ch/double')).toThrow(
      'two ```ts hidden-tests blocks',
    );
    expect(() => parseExercise(file(fence('hidden-tests', hidden)), 'ch/double')).toThrow('no ```ts tests block');
  });
});

describe('the regrader', () => {
  const pool = loadExercises().find((e) => e.id === 'attention-pooling/attention-pool')!;
  // Right values, but a loop over the queries: the statement forbids it, and only a hidden test checks.
  const loop = `import { stack, type Tensor } from 'attention-lab';
export function attentionPool(weights: Tensor, values: Tensor): Tensor {
  const rows: Tensor[] = [];
  for (let j = 0; j < weights.shape[0]!; j++) rows.push(weights.select(0, j).unsqueeze(0).matmul(values).squeeze(0));
  return stack(rows);
}`;

  test('grades the hidden tests: passing every visible test is not full marks', { timeout: 120_000 }, async () => {
    expect(pool.hiddenTests).toContain("test('no loops'");
    const shown = await gradeCode({ code: loop, tests: pool.visibleTests, expectedExports: pool.exports, console: quiet, host });
    expect(shown.error).toBeUndefined();
    expect(shown.passed, 'the course page would say "Passed"').toBe(shown.total);

    const dir = mkdtempSync(join(tmpdir(), 'course-class-'));
    try {
      const submission = (name: string, id: string, code: string) => ({
        format: 'attention-lab-progress',
        version: 1,
        exportedAt: '2026-12-01T10:00:00.000Z',
        student: { name, id },
        exercises: { [pool.id]: { status: 'passed', code, attempts: 1, updatedAt: 1796000000000, lastPassed: shown.total, lastTotal: shown.total } },
        quizzes: {},
        edits: {},
      });
      writeFileSync(join(dir, 'loop.json'), JSON.stringify(submission('Lou Pell', 'S2001', loop)));
      writeFileSync(join(dir, 'solution.json'), JSON.stringify(submission('Sol Ution', 'S2002', pool.solution)));
      const rows = await gradeFolder(dir, { exercises: [pool], quizzes: [], concurrency: 2 });
      const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
      const total = shown.total + 1;
      expect(byId.S2001!.scores).toEqual({ [pool.id]: (pool.points * shown.total) / total });
      expect(byId.S2001!.notes.join(' ')).toContain('no loops');
      expect(byId.S2002!.scores).toEqual({ [pool.id]: pool.points });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
