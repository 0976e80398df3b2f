// The instructor's regrader on a fixture class (tests/fixtures/class: correct, partly correct,
// hostile, malformed and wrong-version submissions) gives the hand-written expected CSV, and no
// CSV cell can run as a spreadsheet formula or grow without bound. The sandbox's attack suite is
// regrade-attacks.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExercises, loadQuizzes } from '../../src/components/exercise/load-exercises.ts';
import { gradeFolder } from '../../scripts/grade-batch.ts';
import { gradesCsv, MAX_FIELD } from '../../scripts/grade-csv.ts';
import { parseCsv } from './attacks/csv.ts';

const classDir = new URL('../fixtures/class/', import.meta.url).pathname;

describe('regrading the fixture class', () => {
  test('gives the expected CSV', { timeout: 120_000 }, async () => {
    // The class did the attention-pooling chapter; chapters added later are not in its CSV.
    const exercises = loadExercises().filter((x) => x.id.startsWith('attention-pooling/'));
    const quizzes = loadQuizzes().filter((x) => x.id.startsWith('attention-pooling/'));
    const rows = await gradeFolder(classDir, { exercises, quizzes, concurrency: 2 });
    const columns = [...exercises, ...quizzes].map((x) => ({ id: x.id, header: `${x.id} (${x.points} ${x.points === 1 ? 'pt' : 'pts'})` }));
    const csv = gradesCsv(rows, columns);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const actual = parseCsv(csv);
    const expected = parseCsv(readFileSync(new URL('../fixtures/class-expected-grades.csv', import.meta.url), 'utf8'));
    expect(actual[0]).toEqual(expected[0]);
    expect(actual.map((r) => r[0])).toEqual(expected.map((r) => r[0]));
    const notes = expected[0]!.indexOf('Notes');
    for (const [i, want] of expected.entries()) {
      const got = actual[i]!;
      expect(got.length, `row ${i}`).toBe(want.length);
      expect(got.slice(0, notes), `row ${i}: ${got[0]}`).toEqual(want.slice(0, notes));
      for (const phrase of want[notes]!.split(' | ').filter(Boolean)) expect(got[notes], `row ${i} notes`).toContain(phrase);
      if (!want[notes]) expect(got[notes], `row ${i} notes`).toBe('');
    }
  });
});

describe('the sandbox', () => {
  test("gives every exercise's reference solution full marks", { timeout: 120_000 }, async () => {
    const exercises = loadExercises();
    const dir = mkdtempSync(join(tmpdir(), 'regrade-solutions-'));
    try {
      const code = Object.fromEntries(exercises.map((x) => [x.id, { status: 'passed', code: x.solution, attempts: 1, updatedAt: 0 }]));
      writeFileSync(join(dir, 'solutions.json'), JSON.stringify({ format: 'attention-lab-progress', version: 1, exportedAt: '2026-12-01T00:00:00.000Z', student: { name: 'Reference', id: 'REF' }, exercises: code, quizzes: {}, edits: {} }));
      const [row] = await gradeFolder(dir, { exercises, quizzes: [] });
      expect(row!.notes).toEqual([]);
      expect(row!.scores).toEqual(Object.fromEntries(exercises.map((x) => [x.id, x.points])));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a CSV cell', () => {
  const cell = (text: string) => parseCsv(gradesCsv([{ file: 'x.json', name: text, id: 'S1', scores: {}, total: 0, notes: [] }], []))[1]![0]!;

  test('that a spreadsheet could run as a formula starts with an apostrophe', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', ' =1+1', '\n=1+1', '\u00a0=1', '\u0000=1', '\u3000=1', '＝1+1', '＋1', '－1', '＠x', '\t1', '\r1']) {
      expect(cell(text), JSON.stringify(text)).toBe(`'${text}`);
    }
    for (const text of ['Ada Lovelace', 'Ng, Alice', 'a=b', '3-2']) expect(cell(text)).toBe(text);
  });

  test('is at most MAX_FIELD characters, with an ellipsis', () => {
    const got = cell('x'.repeat(10_000_000));
    expect(got).toHaveLength(MAX_FIELD);
    expect(got.endsWith('…')).toBe(true);
  });
});
