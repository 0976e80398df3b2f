// The instructor's regrader, as a library: grade every exported progress file in a folder by
// re-running each exercise's tests on the submitted code (never trusting what the browser
// recorded), and recompute quiz scores from the submitted answers. Each submission runs in its
// own sandboxed process (grade-sandbox.ts), several at once; nothing a submission does stops the
// batch. Every entry of the folder gets a row that says what happened to it.
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, constants } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { ExerciseSource } from '../src/runtime/exercise-source.ts';
import { gradeQuiz, type QuizSource } from '../src/components/quiz/quiz-source.ts';
import { parseProgressFile, type ProgressFile } from '../src/components/progress/progress-format.ts';
import { scoreOf } from '../src/runtime/grader.ts';
import { DEFAULT_LIMITS, gradeInSandbox, type SandboxLimits } from './grade-sandbox.ts';

export interface StudentRow {
  file: string;
  name: string;
  id: string;
  /** Points per exercise/quiz id; absent when the submission could not be read at all. */
  scores: Record<string, number> | null;
  total: number | null;
  notes: string[];
}

export interface GradeOptions {
  exercises: ExerciseSource[];
  quizzes: QuizSource[];
  /** Submissions graded at once (default: one fewer than the CPUs, at least 1). */
  concurrency?: number;
  /** Multiplies every exercise's time limit (slow machines). */
  timeScale?: number;
  /** Memory cap and start-up limit of each submission's process. */
  limits?: Partial<SandboxLimits>;
  onProgress?(message: string): void;
}

/** A limit on how many promises run at once. */
function pool(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Notes keep their exercise's order. */
const byExercise = (order: string[]) => (a: string, b: string) => order.indexOf(a.split(':')[0]!) - order.indexOf(b.split(':')[0]!);

async function gradeSubmission(file: ProgressFile, opts: GradeOptions, limits: SandboxLimits): Promise<Pick<StudentRow, 'scores' | 'total' | 'notes'>> {
  const scores: Record<string, number> = {};
  const notes: string[] = [];
  const toRun = opts.exercises.filter((ex) => {
    const code = file.exercises[ex.id]?.code;
    if (code !== undefined && code.trim() !== '' && code !== ex.starter) return true;
    scores[ex.id] = 0;
    notes.push(`${ex.id}: no code submitted`);
    return false;
  });
  const results = await gradeInSandbox(
    toRun.map((ex) => ({ job: { code: file.exercises[ex.id]!.code!, tests: ex.tests, expectedExports: ex.exports }, timeoutSeconds: ex.timeout * (opts.timeScale ?? 1) })),
    limits,
  );
  for (const [i, ex] of toRun.entries()) {
    const result = results[i]!;
    if ('failure' in result) {
      scores[ex.id] = 0;
      notes.push(`${ex.id}: ${result.failure}`);
      continue;
    }
    const { report } = result;
    // The report was checked (passed ≤ total); the clamp is the last word on the points.
    scores[ex.id] = Math.min(ex.points, Math.max(0, scoreOf(report, ex.points)));
    if (report.error) notes.push(`${ex.id}: ${report.error.name}${report.error.line ? ` on line ${report.error.line}` : ''}: ${report.error.message}`);
    else if (report.passed < report.total) {
      const failed = report.tests.filter((t) => !t.passed);
      const first = (failed[0]?.message ?? '').replace(/\s+/g, ' ');
      notes.push(`${ex.id}: ${report.passed}/${report.total} tests (failed: ${failed.map((t) => t.name).join('; ')}) — first failure: ${first.length > 200 ? `${first.slice(0, 199)}…` : first}`);
    }
  }
  for (const quiz of opts.quizzes) {
    const rec = file.quizzes[quiz.id];
    scores[quiz.id] = rec ? gradeQuiz(quiz, rec.answers).score : 0;
  }
  const total = round2(Object.values(scores).reduce((a, b) => a + b, 0));
  notes.sort(byExercise(opts.exercises.map((e) => e.id)));
  return { scores, total, notes };
}

/** A progress file larger than this is not a browser's export. */
export const MAX_FILE_BYTES = 20 << 20;

/** Every entry of the folder, by name: the text of a submission, or why it is not one. */
export function folderEntries(folder: string): Array<{ file: string; text: string } | { file: string; skipped: string }> {
  return readdirSync(folder)
    .sort()
    .map((file) => {
      const path = join(folder, file);
      try {
        const st = lstatSync(path);
        if (st.isSymbolicLink()) return { file, skipped: 'a symbolic link — not followed, not graded' };
        if (st.isDirectory()) return { file, skipped: 'a folder — not graded (put the exported files directly in the class folder)' };
        if (!st.isFile()) return { file, skipped: 'not a regular file — not graded' };
        if (!/\.json$/i.test(file)) return { file, skipped: 'not a .json progress file — not graded' };
        // O_NOFOLLOW and a size check on the open file: what is read is what was looked at.
        const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
        try {
          const size = fstatSync(fd).size;
          if (size > MAX_FILE_BYTES) return { file, skipped: `larger than ${MAX_FILE_BYTES >> 20} MB — not a progress file, not graded` };
          const buf = Buffer.alloc(size);
          let got = 0;
          while (got < size) {
            const n = readSync(fd, buf, got, size - got, got);
            if (n === 0) break;
            got += n;
          }
          // A UTF-8 byte-order mark (some editors add one on saving) is not part of the JSON.
          return { file, text: buf.subarray(0, got).toString('utf8').replace(/^\uFEFF/, '') };
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        return { file, skipped: `could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}) — not graded` };
      }
    });
}

/** Adds a note to every row whose student ID another row has too (gradebooks match rows on the ID). */
export function markDuplicateIds(rows: StudentRow[]): string[] {
  const byId = new Map<string, StudentRow[]>();
  for (const r of rows) {
    const key = r.id.trim().toLowerCase();
    if (key) byId.set(key, [...(byId.get(key) ?? []), r]);
  }
  const warnings: string[] = [];
  for (const same of byId.values()) {
    if (same.length < 2) continue;
    const files = same.map((r) => r.file);
    warnings.push(`student ID ${same[0]!.id.trim()} appears in ${same.length} files: ${files.join(', ')}`);
    for (const r of same) r.notes.unshift(`duplicate ID: ${same[0]!.id.trim()} is also in ${files.filter((f) => f !== r.file).join(', ')} — check which is this student's`);
  }
  return warnings;
}

export async function gradeFolder(folder: string, opts: GradeOptions): Promise<StudentRow[]> {
  const run = pool(opts.concurrency ?? Math.max(1, availableParallelism() - 1));
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const rows = await Promise.all(
    folderEntries(folder).map(async (entry): Promise<StudentRow> => {
      const { file } = entry;
      if ('skipped' in entry) return { file, name: '', id: '', scores: null, total: null, notes: [`${file}: ${entry.skipped}`] };
      const parsed = parseProgressFile(entry.text);
      if (!parsed.ok) return { file, name: String(parsed.student?.name ?? ''), id: String(parsed.student?.id ?? ''), scores: null, total: null, notes: [`${file}: ${parsed.error} — not graded`] };
      const name = String(parsed.file.student.name ?? '');
      const id = String(parsed.file.student.id ?? '');
      const graded = await run(() => gradeSubmission(parsed.file, opts, limits));
      opts.onProgress?.(`${file}: ${graded.total}`);
      if (!name && !id) graded.notes.unshift(`${file}: no student name or ID in the file`);
      return { file, name, id, ...graded };
    }),
  );
  for (const w of markDuplicateIds(rows)) opts.onProgress?.(`warning: ${w}`);
  return rows;
}
