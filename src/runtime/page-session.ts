// The page's side of a notebook session: one worker per page, runs queued in order, a time limit
// per run, Stop and Restart (both end the worker, so even `while (true) {}` cannot freeze the page).
import type { CellError, FromWorker, OutputPart, PlotSpec, ToWorker } from './protocol.ts';
import type { GradeReport } from './grader.ts';

export type RunEvent =
  | { type: 'console'; level: 'log' | 'info' | 'warn' | 'error'; parts: OutputPart[] }
  | { type: 'dropped'; lines: number }
  | { type: 'plot'; spec: PlotSpec }
  | { type: 'progress'; done: number; total: number; label?: string }
  | { type: 'started' };

export type RunOutcome =
  | { status: 'ok'; ms: number; exported: string[] }
  | { status: 'error'; ms: number; error: CellError }
  /** Stopped by the reader, or by the time limit; the session's state is gone either way. */
  | { status: 'stopped'; ms: number; reason: 'stop' | 'timeout' | 'restart' | 'crash'; detail?: string };

/** An exercise check: the grader's report, or stopped like a run (time limit, Stop, crash). */
export type GradeOutcome = { status: 'graded'; ms: number; report: GradeReport } | Extract<RunOutcome, { status: 'stopped' }>;

type WorkerJob = { type: 'run'; cellId: string; code: string } | { type: 'grade'; code: string; tests: string; expectedExports: string[] };

interface ActiveRun {
  runId: number;
  started: number;
  onEvent(e: RunEvent): void;
  finish(outcome: RunOutcome | GradeOutcome): void;
  timer: ReturnType<typeof setTimeout>;
}

type Listener = () => void;

export class PageSession {
  private worker: Worker | null = null;
  private active: ActiveRun | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextRunId = 1;
  private listeners = new Set<Listener>();
  /** Bumped whenever the worker is thrown away: results from older generations are gone. */
  generation = 0;
  /** Increases with every finished run; cells compare it to tell what ran after them. */
  runCounter = 0;
  backend = '';

  constructor(private readonly createWorker: () => Worker) {}

  /** Called on any change that can make a cell stale (a run finished, a restart). */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get busy(): boolean {
    return this.active !== null;
  }

  /** Queues a run after any in progress. `timeoutSeconds` is the cell's declared limit. */
  run(cellId: string, code: string, timeoutSeconds: number, onEvent: (e: RunEvent) => void): Promise<RunOutcome> {
    const result = this.queue.then(() => this.runNow({ type: 'run', cellId, code }, timeoutSeconds, onEvent) as Promise<RunOutcome>);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Queues an exercise check: the reader's code and the exercise's tests, in a fresh session. */
  grade(
    job: { code: string; tests: string; expectedExports: string[] },
    timeoutSeconds: number,
    onEvent: (e: RunEvent) => void,
  ): Promise<GradeOutcome> {
    const result = this.queue.then(() => this.runNow({ type: 'grade', ...job }, timeoutSeconds, onEvent) as Promise<GradeOutcome>);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Ends the current run (if any) and the session with it. */
  stop(reason: 'stop' | 'restart' = 'stop'): void {
    this.kill(reason);
  }

  restart(): void {
    this.kill('restart');
    this.generation++;
    this.notify();
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = this.createWorker();
    w.onmessage = (e: MessageEvent<FromWorker>) => this.onMessage(e.data);
    w.postMessage({ type: 'configure', backend: backendFromUrl() } satisfies ToWorker);
    // A worker that dies (e.g. out of memory) fires 'error' with no message we can trust.
    w.onerror = (e) => {
      e.preventDefault();
      this.kill('crash', e.message || 'the code worker stopped unexpectedly (often: out of memory)');
    };
    this.worker = w;
    return w;
  }

  private runNow(job: WorkerJob, timeoutSeconds: number, onEvent: (e: RunEvent) => void): Promise<RunOutcome | GradeOutcome> {
    return new Promise<RunOutcome | GradeOutcome>((resolve) => {
      const runId = this.nextRunId++;
      const worker = this.ensureWorker();
      const started = performance.now();
      const timer = setTimeout(() => this.kill('timeout'), timeoutSeconds * 1000);
      this.active = {
        runId,
        started,
        onEvent,
        timer,
        finish: (outcome) => {
          clearTimeout(timer);
          this.active = null;
          this.runCounter++;
          resolve(outcome);
          this.notify();
        },
      };
      onEvent({ type: 'started' });
      const msg: ToWorker = { ...job, runId };
      worker.postMessage(msg);
    });
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'ready') {
      this.backend = msg.backend;
      return;
    }
    const run = this.active;
    if (!run || msg.runId !== run.runId) return;
    switch (msg.type) {
      case 'console':
        return run.onEvent({ type: 'console', level: msg.level, parts: msg.parts });
      case 'dropped':
        return run.onEvent({ type: 'dropped', lines: msg.lines });
      case 'plot':
        return run.onEvent({ type: 'plot', spec: msg.spec });
      case 'progress':
        return run.onEvent({ type: 'progress', done: msg.done, total: msg.total, ...(msg.label === undefined ? {} : { label: msg.label }) });
      case 'done':
        return run.finish(msg.ok ? { status: 'ok', ms: msg.ms, exported: msg.exported } : { status: 'error', ms: msg.ms, error: msg.error });
      case 'graded':
        return run.finish({ status: 'graded', ms: msg.ms, report: msg.report });
    }
  }

  private kill(reason: 'stop' | 'timeout' | 'restart' | 'crash', detail?: string): void {
    const hadWorker = this.worker !== null;
    this.worker?.terminate();
    this.worker = null;
    if (hadWorker) this.generation++;
    const run = this.active;
    if (run) run.finish({ status: 'stopped', ms: performance.now() - run.started, reason, ...(detail ? { detail } : {}) });
    else if (hadWorker) this.notify();
  }
}

/** `?backend=cpu|webgpu|auto` in the page's address forces the engine's backend (default auto). */
function backendFromUrl(): 'auto' | 'cpu' | 'webgpu' {
  const loc = (globalThis as { location?: { search: string } }).location;
  const v = loc ? new URLSearchParams(loc.search).get('backend') : null;
  return v === 'cpu' || v === 'webgpu' ? v : 'auto';
}

let pageSession: PageSession | null = null;

/** The one session of this page, created on first use (the worker itself starts on first run). */
export function getPageSession(): PageSession {
  pageSession ??= new PageSession(
    () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'attention-lab cells' }),
  );
  return pageSession;
}
