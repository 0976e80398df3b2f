// Honesty checks for every exercise in the book, with the same grader the page and the regrader
// use: the reference solution passes every test, visible and hidden, and the starter code fails at
// least one visible test (an exercise whose starter already passes grades nothing, and a course
// build's Check only has the visible ones). Every quiz has a right answer per question.
import { describe, expect, test } from 'vitest';
import { loadExercises, loadQuizzes } from '../../src/components/exercise/load-exercises.ts';
import { gradeCode } from '../../src/runtime/grader.ts';
import { gradeQuiz, isCorrect } from '../../src/components/quiz/quiz-source.ts';
import type { CellConsole } from '../../src/runtime/execute.ts';

const exercises = loadExercises();
const quiet: CellConsole = { log() {}, info() {}, warn() {}, error() {} };
const host = { plot() {}, progress() {} };
const grade = (code: string, ex: (typeof exercises)[number], tests = ex.tests) =>
  gradeCode({ code, tests, expectedExports: ex.exports, console: quiet, host });

test('the book has exercises and quizzes', () => {
  expect(exercises.length).toBeGreaterThanOrEqual(3);
  expect(loadQuizzes().length).toBeGreaterThanOrEqual(1);
});

describe.each(exercises)('exercise $id', (ex) => {
  test('the reference solution passes every test', async () => {
    const report = await grade(ex.solution, ex);
    const failed = report.tests.filter((t) => !t.passed).map((t) => `${t.name}: ${t.message}`);
    expect(report.error, JSON.stringify(report.error)).toBeUndefined();
    expect(failed).toEqual([]);
    expect(report.total).toBeGreaterThan(0);
    expect(report.passed).toBe(report.total);
  });

  test('the starter code fails at least one visible test', async () => {
    const report = await grade(ex.starter, ex, ex.visibleTests);
    expect(report.error?.where, 'the tests block itself must run on the starter code').not.toBe('tests');
    expect(report.total).toBeGreaterThan(0);
    expect(report.passed).toBeLessThan(report.total);
  });

  test('the visible tests run on their own, as a course build ships them', async () => {
    const visible = await grade(ex.solution, ex, ex.visibleTests);
    expect(visible.error, JSON.stringify(visible.error)).toBeUndefined();
    expect(visible.total).toBeGreaterThan(0);
    expect(visible.passed).toBe(visible.total);
    if (ex.hiddenTests) {
      const all = await grade(ex.solution, ex);
      expect(all.total, 'the hidden-tests block adds tests').toBeGreaterThan(visible.total);
    } else expect(ex.tests).toBe(ex.visibleTests);
  });

  test('has a statement and at least one hint', () => {
    expect(ex.statement.length).toBeGreaterThan(40);
    expect(ex.statement).not.toMatch(/```ts (starter|solution|tests|hidden-tests)/);
    expect(ex.hints.length).toBeGreaterThan(0);
    expect(ex.exports.length).toBeGreaterThan(0);
  });
});

describe.each(loadQuizzes())('quiz $id', (quiz) => {
  test('the right answers score full points; no answers score zero', () => {
    const right = quiz.questions.map((q) => (q.kind === 'numeric' ? q.answer : q.choices.flatMap((c, i) => (c.correct ? [i] : []))));
    expect(gradeQuiz(quiz, right)).toEqual({ correct: quiz.questions.length, total: quiz.questions.length, score: quiz.points });
    expect(gradeQuiz(quiz, []).score).toBe(0);
    for (const q of quiz.questions) if (q.kind === 'choice') expect(isCorrect(q, [])).toBe(false);
  });
});
