// The regrader's side of the sandbox: one child Node process per submission (scripts/grade-worker.ts)
// started with the permission model and an empty environment, a time limit per exercise and a cap
// on the process's resident memory that end it with SIGKILL, and a check of every report it sends
// back before a score is taken from it. A submission whose process is killed loses that exercise
// only: its remaining exercises get a fresh process.
import { spawn, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { GradeReport, TestOutcome } from '../src/runtime/grader.ts';
import type { GradeJob } from './grade-worker.ts';

export type { GradeJob };
export type ExerciseResult = { report: GradeReport } | { failure: string };

export interface SandboxLimits {
  /** Resident memory of one submission's process, in MB (typed arrays included). */
  memoryMb: number;
  /** How long the process may take to load the engine and lock down, in seconds. */
  startSeconds: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { memoryMb: 1024, startSeconds: 60 };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = join(ROOT, 'scripts', 'grade-worker.ts');
/** All the child may read: the book's code and its packages (not the class folder, not home). */
const READABLE = [join(ROOT, 'src'), join(ROOT, 'scripts'), join(ROOT, 'node_modules'), join(ROOT, 'package.json')];
/** Bytes of reports one process may send; more is not an honest grader. */
const MAX_REPORT_BYTES = 4 << 20;
const MAX_TESTS = 1000;
const MAX_TEXT = 2000;
const POLL_MS = process.platform === 'linux' ? 50 : 250;

/** Node 22.13 renamed --experimental-permission to --permission (the package asks for ≥ 22.12). */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

function nodeArgs(limits: SandboxLimits, worker: string): string[] {
  return [
    PERMISSION_FLAG,
    ...[...READABLE, worker].map((p) => `--allow-fs-read=${p}`),
    '--experimental-transform-types',
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${limits.memoryMb}`,
    // A rejection nobody handles is the student's business (a page's worker ignores it too), not a crash.
    '--unhandled-rejections=warn',
    worker,
  ];
}

/** Resident memory of a process in kB, or null when it is gone. */
function rssKb(pid: number): Promise<number | null> {
  if (process.platform === 'linux') {
    try {
      const m = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return Promise.resolve(m ? Number(m[1]) : null);
    } catch {
      return Promise.resolve(null);
    }
  }
  return new Promise((resolve) => execFile('ps', ['-o', 'rss=', '-p', String(pid)], (err, out) => resolve(err ? null : Number(out.trim()) || null)));
}

const isText = (x: unknown, max = MAX_TEXT): x is string => typeof x === 'string' && x.length <= max;
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= MAX_TESTS;

function validTest(t: unknown): t is TestOutcome {
  if (!t || typeof t !== 'object') return false;
  const o = t as Record<string, unknown>;
  return isText(o.name) && typeof o.passed === 'boolean' && (o.message === undefined || isText(o.message)) && (o.hint === undefined || isText(o.hint)) && (o.line === undefined || Number.isInteger(o.line));
}

/**
 * The report if it has the shape gradeCode returns and adds up (passed ≤ total, as many tests as
 * counted, no passes beside an error); otherwise why not. The score is capped separately (scoreOf).
 */
export function checkReport(r: unknown): { report: GradeReport } | { failure: string } {
  const bad = (why: string) => ({ failure: `the grader's report was rejected (${why}) — a 0` });
  if (!r || typeof r !== 'object' || Array.isArray(r)) return bad('not an object');
  const o = r as Record<string, unknown>;
  if (!isCount(o.passed) || !isCount(o.total)) return bad('counts are not whole numbers in range');
  if (o.passed > o.total) return bad(`${o.passed} passed of ${o.total}`);
  if (!Array.isArray(o.tests) || o.tests.length > MAX_TESTS || !o.tests.every(validTest)) return bad('malformed test list');
  const tests = o.tests as TestOutcome[];
  if (o.error !== undefined) {
    const e = o.error as Record<string, unknown>;
    if (!e || typeof e !== 'object' || !isText(e.name) || !isText(e.message) || (e.where !== 'your code' && e.where !== 'tests')) return bad('malformed error');
    if (o.passed !== 0) return bad('tests passed beside an error');
  } else if (tests.length !== o.total || tests.filter((t) => t.passed).length !== o.passed) {
    return bad('the test list does not match the counts');
  }
  return { report: r as GradeReport };
}

interface ChildOutcome {
  /** Results for the first jobs, in order; a failure ends the list. */
  results: ExerciseResult[];
  /** True when the process never got ready (the remaining jobs need not be retried). */
  startFailed: boolean;
}

/** One process for `jobs`, run until it has reported them all or was ended. */
function runChild(jobs: Array<{ job: GradeJob; timeoutSeconds: number }>, limits: SandboxLimits, worker: string): Promise<ChildOutcome> {
  return new Promise((done) => {
    const results: ExerciseResult[] = [];
    const child = spawn(process.execPath, nodeArgs(limits, worker), { env: {}, cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe', 'pipe'], windowsHide: true });
    let ready = false;
    let finished = false;
    let stopReason: string | undefined;
    let stderrTail = '';
    let pending = '';
    let received = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const finish = (startFailed = false) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      child.kill('SIGKILL');
      done({ results, startFailed });
    };
    /** Ends the process now; the job under way gets `reason`. */
    const stop = (reason: string) => {
      if (finished || stopReason) return;
      stopReason = reason;
      child.kill('SIGKILL');
    };
    const arm = () => {
      clearTimeout(timer);
      const next = jobs[results.length];
      if (!next) return finish();
      timer = setTimeout(() => stop(`stopped after ${next.timeoutSeconds} s (the time limit) — an endless loop?`), next.timeoutSeconds * 1000);
    };
    timer = setTimeout(() => stop(`the grader did not start within ${limits.startSeconds} s`), limits.startSeconds * 1000);

    const onLine = (line: string) => {
      let m: unknown;
      try {
        m = JSON.parse(line);
      } catch {
        return stop("the grader's report was rejected (not JSON) — a 0");
      }
      const msg = m as { ready?: unknown; index?: unknown; report?: unknown };
      if (!ready) {
        if (msg?.ready !== true) return stop("the grader's report was rejected (it came before the grader was ready) — a 0");
        ready = true;
        return arm();
      }
      if (msg?.index !== results.length) return stop("the grader's report was rejected (out of order) — a 0");
      const checked = checkReport(msg.report);
      if ('failure' in checked) return stop(checked.failure);
      results.push(checked);
      arm();
    };

    const reports = child.stdio[3] as Readable;
    reports.setEncoding('utf8');
    reports.on('data', (chunk: string) => {
      received += Buffer.byteLength(chunk);
      if (received > MAX_REPORT_BYTES) return stop(`the grader sent more than ${MAX_REPORT_BYTES >> 20} MB of reports — a 0`);
      pending += chunk;
      let nl: number;
      while (!stopReason && (nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        onLine(line);
      }
    });
    reports.on('error', () => undefined);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => (stderrTail = (stderrTail + s).slice(-4000)));
    const stdin = child.stdin as Writable;
    stdin.on('error', () => undefined);
    stdin.end(JSON.stringify({ jobs: jobs.map((j) => j.job) }));

    const capKb = limits.memoryMb * 1024;
    const watchdog = setInterval(() => {
      if (child.pid === undefined) return;
      void rssKb(child.pid).then((kb) => {
        if (kb !== null && kb > capKb) stop(`stopped: used more than ${limits.memoryMb} MB of memory`);
      });
    }, POLL_MS);

    child.on('error', (e) => {
      if (finished || ready) return;
      results.push({ failure: `the grader could not start: ${e.message}` });
      finish(true);
    });
    child.on('close', (code, signal) => {
      if (finished) return;
      const lastLine = stderrTail.trim().split('\n').filter(Boolean).pop() ?? '';
      if (!ready) {
        const why = stopReason ?? `the grader could not start (exit code ${code ?? signal}${lastLine ? `: ${lastLine}` : ''})`;
        results.push({ failure: why });
        return finish(true);
      }
      if (results.length < jobs.length) {
        let why = stopReason;
        if (!why) {
          if (code === 13) why = 'its code never finished: it waits for something that never happens (a promise that never settles?)';
          else if (signal === 'SIGABRT' || code === 134 || /heap out of memory/i.test(stderrTail)) why = `stopped: ran out of memory (${limits.memoryMb} MB)`;
          else why = `the grader stopped (${signal ? `signal ${signal}` : `exit code ${code}`})`;
        }
        results.push({ failure: why });
      }
      finish();
    });
  });
}

/**
 * Grades one submission's exercises, in order, each in the sandbox: a result per job, never a
 * rejection. A process that is killed or fails costs the exercise it was on; the rest go on in a
 * fresh one. `worker` replaces grade-worker.ts in the attack tests (a process that forges reports).
 */
export async function gradeInSandbox(jobs: Array<{ job: GradeJob; timeoutSeconds: number }>, limits: SandboxLimits = DEFAULT_LIMITS, worker = WORKER): Promise<ExerciseResult[]> {
  const results: ExerciseResult[] = [];
  while (results.length < jobs.length) {
    const { results: got, startFailed } = await runChild(jobs.slice(results.length), limits, worker);
    results.push(...got);
    if (startFailed) {
      const why = got.at(-1) && 'failure' in got.at(-1)! ? (got.at(-1) as { failure: string }).failure : 'the grader could not start';
      while (results.length < jobs.length) results.push({ failure: why });
    }
  }
  return results;
}
