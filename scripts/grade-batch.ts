// The instructor's regrader, as a library: grade every exported progress file in a folder by
// re-running each exercise's tests on the submitted code (never trusting what the browser
// recorded), and recompute quiz scores from the submitted answers. One worker thread per
// exercise per student, ended after the exercise's time limit; nothing a submission does stops
// the batch.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExerciseSource } from '../src/runtime/exercise-source.ts';
import { gradeQuiz, type QuizSource } from '../src/components/quiz/quiz-source.ts';
import { parseProgressFile, type ProgressFile } from '../src/components/progress/progress-format.ts';
import { scoreOf, type GradeReport } from '../src/runtime/grader.ts';
import type { GradeJob } from './grade-worker.ts';

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
  /** Parallel worker threads (default: CPUs, at most 4). */
  concurrency?: number;
  /** Multiplies every exercise's time limit (slow machines). */
  timeScale?: number;
  onProgress?(message: string): void;
}

const WORKER = new URL('./grade-worker.ts', import.meta.url);
const WORKER_ARGS = ['--experimental-transform-types', '--disable-warning=ExperimentalWarning'];
/** Old-space heap per worker; typed arrays live outside it. */
const WORKER_HEAP_MB = 1024;

type ExerciseResult = { report: GradeReport } | { failure: string };

/** Runs one grading job in a worker thread; never rejects. */
export function gradeInWorker(job: GradeJob, timeoutSeconds: number): Promise<ExerciseResult> {
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(WORKER, { workerData: job, execArgv: WORKER_ARGS, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, stdout: true, stderr: true });
    const finish = (r: ExerciseResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    // The limit includes loading the engine (well under a second), so it is generous to the code.
    const timer = setTimeout(() => finish({ failure: `stopped after ${timeoutSeconds} s (the time limit) — an endless loop?` }), timeoutSeconds * 1000 + 2000);
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (m: { report?: GradeReport }) => (m.report ? finish({ report: m.report }) : undefined));
    worker.on('error', (e) => finish({ failure: `the grader stopped: ${e.message}` }));
    worker.on('exit', (code) => finish({ failure: `the grader stopped (exit code ${code})` }));
  });
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

async function gradeSubmission(file: ProgressFile, opts: GradeOptions, run: ReturnType<typeof pool>): Promise<Pick<StudentRow, 'scores' | 'total' | 'notes'>> {
  const scores: Record<string, number> = {};
  const notes: string[] = [];
  await Promise.all(
    opts.exercises.map(async (ex) => {
      const code = file.exercises[ex.id]?.code;
      if (code === undefined || code.trim() === '' || code === ex.starter) {
        scores[ex.id] = 0;
        notes.push(`${ex.id}: no code submitted`);
        return;
      }
      const result = await run(() => gradeInWorker({ code, tests: ex.tests, expectedExports: ex.exports }, ex.timeout * (opts.timeScale ?? 1)));
      if ('failure' in result) {
        scores[ex.id] = 0;
        notes.push(`${ex.id}: ${result.failure}`);
        return;
      }
      const { report } = result;
      scores[ex.id] = scoreOf(report, ex.points);
      if (report.error) notes.push(`${ex.id}: ${report.error.name}${report.error.line ? ` on line ${report.error.line}` : ''}: ${report.error.message}`);
      else if (report.passed < report.total) {
        const failed = report.tests.filter((t) => !t.passed);
        const first = (failed[0]?.message ?? '').replace(/\s+/g, ' ');
        notes.push(`${ex.id}: ${report.passed}/${report.total} tests (failed: ${failed.map((t) => t.name).join('; ')}) — first failure: ${first.length > 200 ? `${first.slice(0, 199)}…` : first}`);
      }
    }),
  );
  for (const quiz of opts.quizzes) {
    const rec = file.quizzes[quiz.id];
    scores[quiz.id] = rec ? gradeQuiz(quiz, rec.answers).score : 0;
  }
  const total = round2(Object.values(scores).reduce((a, b) => a + b, 0));
  const order = [...opts.exercises.map((e) => e.id)];
  notes.sort((a, b) => order.indexOf(a.split(':')[0]!) - order.indexOf(b.split(':')[0]!));
  return { scores, total, notes };
}

/** Every *.json file in the folder, by name: each is one student's submission. */
export function submissionFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((n) => /\.json$/i.test(n) && !n.startsWith('.') && statSync(join(folder, n)).isFile())
    .sort()
    .map((n) => join(folder, n));
}

export async function gradeFolder(folder: string, opts: GradeOptions): Promise<StudentRow[]> {
  const run = pool(opts.concurrency ?? Math.max(1, Math.min(4, availableParallelism())));
  return Promise.all(
    submissionFiles(folder).map(async (path): Promise<StudentRow> => {
      const file = basename(path);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        return { file, name: '', id: '', scores: null, total: null, notes: [`${file}: could not be read (${(e as Error).message})`] };
      }
      const parsed = parseProgressFile(text);
      if (!parsed.ok) return { file, name: parsed.student?.name ?? '', id: parsed.student?.id ?? '', scores: null, total: null, notes: [`${file}: ${parsed.error} — not graded`] };
      const { name, id } = parsed.file.student;
      const graded = await gradeSubmission(parsed.file, opts, run);
      opts.onProgress?.(`${file}: ${graded.total}`);
      if (!name && !id) graded.notes.unshift(`${file}: no student name or ID in the file`);
      return { file, name, id, ...graded };
    }),
  );
}
