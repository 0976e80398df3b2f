// The instructor's regrader on a fixture class (tests/fixtures/class: correct, partly correct,
// hostile, malformed and wrong-version submissions) gives the hand-written expected CSV, and a
// grading worker cannot reach the process, make code from strings, or import Node modules.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadExercises, loadQuizzes } from '../../src/components/exercise/load-exercises.ts';
import { gradeFolder, gradeInWorker } from '../../scripts/grade-batch.ts';
import { gradesCsv } from '../../scripts/grade-csv.ts';

const classDir = new URL('../fixtures/class/', import.meta.url).pathname;

/** RFC 4180 rows: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

describe('regrading the fixture class', () => {
  test('gives the expected CSV', { timeout: 120_000 }, async () => {
    const exercises = loadExercises();
    const quizzes = loadQuizzes();
    const rows = await gradeFolder(classDir, { exercises, quizzes, concurrency: 2 });
    const columns = [...exercises, ...quizzes].map((x) => ({ id: x.id, header: `${x.id} (${x.points} ${x.points === 1 ? 'pt' : 'pts'})` }));
    const csv = gradesCsv(rows, columns);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const actual = parseCsv(csv);
    const expected = parseCsv(readFileSync(new URL('expected-grades.csv', `file://${classDir}`), 'utf8'));
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

describe('a grading worker', () => {
  test('cannot reach process, Function, eval, fetch or Node modules', async () => {
    const code = `
export async function probe() {
  const out: string[] = [];
  const attempt = async (name: string, fn: () => unknown) => {
    try { await fn(); out.push(name + ': reached'); } catch { out.push(name + ': blocked'); }
  };
  await attempt('process', () => (globalThis as any).process.env.HOME);
  await attempt('Function', () => new Function('return 1')());
  await attempt('constructor', () => (() => 0).constructor('return 1')());
  await attempt('async constructor', () => (async () => 0).constructor('return 1')());
  await attempt('eval', () => (0, eval)('1'));
  await attempt('fetch', () => (globalThis as any).fetch('http://localhost/'));
  await attempt('import', () => import('node:fs'));
  await attempt('require', () => (globalThis as any).require('node:fs'));
  return out;
}`;
    const tests = `test('probe', async () => { const out = await probe(); check.equal(out.filter((x: string) => x.endsWith('reached')), []); });`;
    const result = await gradeInWorker({ code, tests, expectedExports: ['probe'] }, 10);
    expect('report' in result && result.report.tests).toEqual([{ name: 'probe', passed: true }]);
  });

  test('an endless loop is ended at the time limit', async () => {
    const result = await gradeInWorker({ code: 'while (true) {}', tests: '', expectedExports: [] }, 1);
    expect(result).toEqual({ failure: expect.stringContaining('stopped after 1 s') });
  });
});
