// The regrader's attack suite: a class folder of hostile submissions (tests/grader/attacks/
// submissions.ts: escapes, patching, resource exhaustion, CSV injection, duplicate IDs, odd folder
// entries) graded in one batch beside honest students. Nothing may escape (the markers folder stays
// empty, a local listener hears nothing, the answer key and the other students' files appear
// nowhere, this process lives), every hostile row is a 0 that says why, and the honest students get
// exactly the grades the fixture class expects. A second part hands the regrader a grading process
// that forges its reports, and checks what Node's permission model refuses such a process.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadExercises, loadQuizzes } from '../../src/components/exercise/load-exercises.ts';
import { gradeFolder, MAX_FILE_BYTES, type StudentRow } from '../../scripts/grade-batch.ts';
import { gradesCsv, MAX_FIELD } from '../../scripts/grade-csv.ts';
import { gradeInSandbox, type ExerciseResult } from '../../scripts/grade-sandbox.ts';
import { ATTACKS, CSV_NAMES } from './attacks/submissions.ts';
import { parseCsv } from './attacks/csv.ts';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const exercises = loadExercises().filter((x) => x.id.startsWith('attention-pooling/'));
const quizzes = loadQuizzes().filter((x) => x.id.startsWith('attention-pooling/'));
const columns = [...exercises, ...quizzes].map((x) => ({ id: x.id, header: `${x.id} (${x.points} ${x.points === 1 ? 'pt' : 'pts'})` }));
const SECRET = `answer-key-${Math.random().toString(36).slice(2)}`;
const OTHER = `alice-private-${Math.random().toString(36).slice(2)}`;
/** Short limits keep the suite quick: 0.3 × each exercise's time limit, 512 MB a process. */
const OPTIONS = { exercises, quizzes, concurrency: 2, timeScale: 0.3, limits: { memoryMb: 512 } };

let root: string;
let classDir: string;
let markers: string;
let listener: Server;
let heard: string[] = [];
let port = 0;

function progressFile(student: { name: string; id: string }, code: Record<string, string>, extra: Record<string, unknown> = {}): string {
  const exercisesRec = Object.fromEntries(Object.entries(code).map(([id, c]) => [id, { status: 'passed', code: c, attempts: 1, updatedAt: 0 }]));
  return JSON.stringify({ format: 'attention-lab-progress', version: 1, exportedAt: '2026-12-01T00:00:00.000Z', student, exercises: exercisesRec, quizzes: {}, edits: {}, ...extra });
}

const fill = (code: string) => code.replaceAll('__MARKERS__', markers).replaceAll('__PORT__', String(port)).replaceAll('__SECRET__', join(root, 'answer-key.txt')).replaceAll('__OTHER__', join(classDir, 'alice-correct.json'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'regrade-attacks-'));
  classDir = join(root, 'class');
  markers = join(root, 'markers');
  mkdirSync(classDir);
  mkdirSync(markers);
  writeFileSync(join(root, 'answer-key.txt'), SECRET);
  listener = createServer((socket) => {
    heard.push('connection');
    socket.on('data', (d) => heard.push(String(d)));
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  port = (listener.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => listener.close(r));
  rmSync(root, { recursive: true, force: true });
});

describe('a class of hostile submissions beside honest ones', () => {
  let rows: StudentRow[];
  let csv: string;
  let table: string[][];
  const row = (file: string) => rows.find((r) => r.file === file)!;

  beforeAll(async () => {
    // Honest students: Alice and Bob as in the fixture class (Alice's file carries a private
    // token), and Dana, Alice's answers saved with a byte-order mark.
    const alice = JSON.parse(readFileSync(join(fixtures, 'class/alice-correct.json'), 'utf8'));
    writeFileSync(join(classDir, 'alice-correct.json'), JSON.stringify({ ...alice, comment: OTHER }));
    copyFileSync(join(fixtures, 'class/bob-partial.json'), join(classDir, 'bob-partial.json'));
    writeFileSync(join(classDir, 'dana-bom.json'), `\uFEFF${JSON.stringify({ ...alice, student: { name: 'Dana Bom', id: 'S2001' } })}`);
    for (const a of ATTACKS) writeFileSync(join(classDir, a.file), progressFile(a.student, Object.fromEntries(Object.entries(a.code).map(([id, c]) => [id, fill(c)]))));
    for (const c of CSV_NAMES) writeFileSync(join(classDir, c.file), progressFile({ name: c.name, id: c.id }, {}));
    // Another file that claims to be Alice (same ID): both rows must say so.
    writeFileSync(join(classDir, 'mallory-as-alice.json'), progressFile({ name: 'Alice Ng', id: 'S1001' }, { 'attention-pooling/gaussian-weights': 'export function gaussianWeights() { return 0; }' }));
    // Entries that are not progress files.
    mkdirSync(join(classDir, 'folder.json'));
    symlinkSync(join(root, 'answer-key.txt'), join(classDir, 'link-to-key.json'));
    writeFileSync(join(classDir, 'notes.txt'), 'not a submission');
    writeFileSync(join(classDir, 'too-big.json'), Buffer.alloc(MAX_FILE_BYTES + 1, 32));
    if (process.platform !== 'win32') execFileSync('mkfifo', [join(classDir, 'pipe.json')]);

    rows = await gradeFolder(classDir, OPTIONS);
    csv = gradesCsv(rows, columns);
    table = parseCsv(csv);
  }, 240_000);

  test('holds at least 20 hostile submissions', () => expect(ATTACKS.length).toBeGreaterThanOrEqual(20));

  test('nothing escaped: no marker, nothing heard, no secret or other student in the CSV, the regrader alive', () => {
    expect(readdirSync(markers)).toEqual([]);
    expect(heard).toEqual([]);
    expect(csv).not.toContain(SECRET);
    expect(csv).not.toContain(OTHER);
    expect(csv).not.toContain('ESCAPED');
    expect(process.kill(process.pid, 0)).toBe(true);
  });

  test('the honest students get exactly their grades', () => {
    const expected = parseCsv(readFileSync(join(fixtures, 'class-expected-grades.csv'), 'utf8'));
    const notes = expected[0]!.indexOf('Notes');
    for (const [file, want] of [['alice-correct.json', expected[1]!], ['bob-partial.json', expected[2]!], ['dana-bom.json', ['Dana Bom', 'S2001', ...expected[1]!.slice(2)]]] as const) {
      const got = table[rows.findIndex((r) => r.file === file) + 1]!;
      expect(got.slice(0, notes), file).toEqual(want.slice(0, notes));
      for (const phrase of want[notes]!.split(' | ').filter(Boolean)) expect(got[notes], file).toContain(phrase);
    }
  });

  test.each(ATTACKS.map((a) => [a.file, a] as const))('%s gets what its wrong answer earns and a note that says why', (_file, attack) => {
    const r = row(attack.file);
    expect(r.scores, attack.what).not.toBeNull();
    expect(r.total, attack.what).toBe(attack.points ?? 0);
    expect(r.notes.join(' | '), attack.what).toMatch(attack.note);
  });

  test('no cell can run as a formula, and none is longer than the cap', () => {
    for (const c of CSV_NAMES) {
      const i = rows.findIndex((r) => r.file === c.file);
      const [name, id] = table[i + 1]!;
      expect(name!.startsWith("'"), JSON.stringify(c.name.slice(0, 20))).toBe(true);
      expect(id!.startsWith("'") || !/^\W*[=+\-@＝＋－＠]/.test(c.id), JSON.stringify(c.id)).toBe(true);
      expect(name!.length).toBeLessThanOrEqual(MAX_FIELD + 1);
    }
    const huge = table[rows.findIndex((r) => r.file === 'res-huge-message.json') + 1]!;
    expect(huge.at(-1)!.length).toBeLessThan(2100);
    expect(csv.length).toBeLessThan(200_000);
  });

  test('a second file with a student ID in it is flagged on both rows', () => {
    for (const file of ['alice-correct.json', 'mallory-as-alice.json']) expect(row(file).notes[0]).toMatch(/^duplicate ID: S1001 is also in/);
    expect(row('bob-partial.json').notes.join()).not.toContain('duplicate');
  });

  test('every entry of the folder has a row that says what happened to it', () => {
    expect(rows.map((r) => r.file).sort()).toEqual(readdirSync(classDir).sort());
    expect(row('folder.json').notes[0]).toContain('a folder');
    expect(row('link-to-key.json').notes[0]).toContain('symbolic link');
    expect(row('notes.txt').notes[0]).toContain('not a .json progress file');
    expect(row('too-big.json').notes[0]).toContain('larger than');
    if (process.platform !== 'win32') expect(row('pipe.json').notes[0]).toContain('not a regular file');
  });
});

describe('the patching attacks are real', () => {
  test('without lockdown and the Compartment, three of them turn a wrong answer into full marks', async () => {
    const unsandboxed = new URL('./attacks/unsandboxed-worker.ts', import.meta.url).pathname;
    const ex = exercises.find((x) => x.id === 'attention-pooling/gaussian-weights')!;
    const scoring = ['patch-array.json', 'patch-map-set.json', 'patch-tensor.json'];
    const jobs = ATTACKS.filter((a) => scoring.includes(a.file)).map((a) => ({ job: { code: Object.values(a.code)[0]!, tests: ex.tests, expectedExports: ex.exports }, timeoutSeconds: 20 }));
    const results = await gradeInSandbox(jobs, { memoryMb: 512, startSeconds: 60 }, unsandboxed);
    expect(results.map((r) => ('report' in r ? `${r.report.passed}/${r.report.total}` : r.failure))).toEqual(['4/4', '4/4', '4/4']);
  });
});

describe('a grading process that forges its reports', () => {
  const forged = new URL('./attacks/forged-worker.ts', import.meta.url).pathname;
  const run = (what: string, tests = '') => gradeInSandbox([{ job: { code: what, tests, expectedExports: [] }, timeoutSeconds: 20 }], { memoryMb: 512, startSeconds: 60 }, forged);
  const failure = (r: ExerciseResult[]) => ('failure' in r[0]! ? r[0].failure : '');

  test.each([
    ['thousand-of-one', /1000 passed of 1/],
    ['uncounted', /does not match the counts/],
    ['not-json', /not JSON/],
    ['wrong-types', /not whole numbers/],
    ['nan', /not whole numbers/],
    ['out-of-order', /out of order/],
    ['early', /before the grader was ready/],
    ['huge', /more than 4 MB/],
    ['flood', /more than 4 MB|out of order/],
    ['error-with-passes', /passed beside an error/],
    ['long-text', /malformed test list/],
  ])('%s is rejected: a 0 with the reason', async (what, reason) => {
    const result = await run(what);
    expect(failure(result)).toMatch(reason);
    expect(failure(result)).toMatch(/a 0$/);
  });

  test('an honest report goes through', async () => {
    expect(await run('honest')).toEqual([{ report: expect.objectContaining({ passed: 2, total: 4 }) }]);
  });

  test("Node's permission model refuses it the file system, processes, workers, addons and the environment", async () => {
    const [result] = await run('permissions', JSON.stringify({ markers, secret: join(root, 'answer-key.txt') }));
    const answers = 'report' in result! ? result.report.tests.map((t) => t.name) : [failure([result!])];
    expect(answers).toHaveLength(7);
    for (const a of answers) expect(a).not.toMatch(/allowed$/);
    expect(answers.filter((a) => a.endsWith('ERR_ACCESS_DENIED')).length).toBeGreaterThanOrEqual(5);
    expect(readdirSync(markers)).toEqual([]);
  });
});
