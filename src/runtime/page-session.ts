// The page's side of a notebook session: one worker for the page's cells, runs queued in order, a
// time limit per run, Stop and Restart (both end the worker, so even `while (true) {}` cannot
// freeze the page). Exercise checks run in a fresh worker each, which no cell has run in.
//
// Every message travels on a private MessagePort handed to the worker before any reader's code
// runs (worker.ts). The page also watches the worker: it pings it while a run lasts (so a time
// limit can say whether the code was busy or waiting) and once after each run (so work a cell
// left running is noticed at once, blamed on that cell, and the next cell gets a fresh worker).
import type { CellError, ConnectMessage, FromWorker, OutputEvent, ToWorker } from './protocol.ts';
import type { GradeReport } from './grader.ts';

export type RunEvent =
  /** A batch of console lines, dropped-output notes and figures, in the order the code made them. */
  | { type: 'output'; events: OutputEvent[] }
  | { type: 'progress'; done: number; total: number; label?: string }
  | { type: 'started' }
  /** After the run had ended: something it left behind threw. */
  | { type: 'late'; error: CellError }
  /** After the run had ended: what it left running kept the worker busy, so the session was restarted. */
  | { type: 'left-running' };

export type StopReason = 'stop' | 'timeout' | 'restart' | 'crash';

export type RunOutcome =
  | { status: 'ok'; ms: number; exported: string[] }
  | { status: 'error'; ms: number; error: CellError }
  /**
   * Stopped by the reader, by the time limit or by a crash; the session's state is gone either
   * way. `cause` says what a timed-out run was doing: computing all along ('busy'), or waiting
   * for something that never came ('waiting').
   */
  | { status: 'stopped'; ms: number; reason: StopReason; detail?: string; cause?: 'busy' | 'waiting' };

/** An exercise check: the grader's report, or stopped like a run (time limit, Stop, crash). */
export type GradeOutcome = { status: 'graded'; ms: number; report: GradeReport } | Extract<RunOutcome, { status: 'stopped' }>;

type WorkerJob = { type: 'run'; cellId: string; code: string } | { type: 'grade'; code: string; tests: string; expectedExports: string[] };

/** A worker and the private port its messages travel on. */
interface Link {
  worker: Worker;
  port: MessagePort;
  /** The worker has taken the port: from now on it answers pings, unless its code keeps it busy. */
  hello: boolean;
  lastPong: number;
  pongWaiters: Array<() => void>;
  helloWaiters: Array<() => void>;
}

interface ActiveRun {
  runId: number;
  cellId: string | null;
  link: Link;
  started: number;
  acknowledged: boolean;
  onEvent(e: RunEvent): void;
  finish(outcome: RunOutcome | GradeOutcome): void;
}

type Listener = () => void;

/** While a run lasts, the worker is pinged this often. */
const PING_MS = 400;
/** A worker that has taken its port and does not answer a ping (or a run) within this is busy or deaf. */
const ANSWER_MS = 2500;

export class PageSession {
  private link: Link | null = null;
  private active: ActiveRun | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextRunId = 1;
  private listeners = new Set<Listener>();
  /** The latest finished run of each cell, for what it left behind (late errors). */
  private finished = new Map<string, { runId: number; onEvent(e: RunEvent): void }>();
  /** The run that finished last on the cells' worker: what keeps that worker busy came from it. */
  private lastRun: { runId: number; onEvent(e: RunEvent): void; link: Link } | null = null;
  /** The check after the last run: the next run starts once it has passed. */
  private health: Promise<void> = Promise.resolve();
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

  /** Queues an exercise check: the reader's code and the exercise's tests, in a worker of its own. */
  grade(
    job: { code: string; tests: string; expectedExports: string[] },
    timeoutSeconds: number,
    onEvent: (e: RunEvent) => void,
  ): Promise<GradeOutcome> {
    const result = this.queue.then(() => this.runNow({ type: 'grade', ...job }, timeoutSeconds, onEvent) as Promise<GradeOutcome>);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Ends the current run (if any); a cell's run takes the session with it. */
  stop(reason: 'stop' | 'restart' = 'stop'): void {
    const run = this.active;
    if (run && run.link !== this.link) this.endRun(run, { reason });
    else this.killCells(reason);
  }

  restart(): void {
    this.killCells('restart');
    this.generation++;
    this.notify();
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  private connect(backend: 'auto' | 'cpu' | 'webgpu'): Link {
    const worker = this.createWorker();
    const channel = new MessageChannel();
    const link: Link = { worker, port: channel.port1, hello: false, lastPong: 0, pongWaiters: [], helloWaiters: [] };
    // Anything the worker's global posts is readers' code talking: the runtime uses the port only.
    worker.onmessage = null;
    channel.port1.onmessage = (e: MessageEvent<FromWorker>) => this.onMessage(link, e.data);
    worker.postMessage({ type: 'connect', port: channel.port2, backend } satisfies ConnectMessage, [channel.port2]);
    // A worker that dies (out of memory, or a module that failed to load) fires 'error'; errors of
    // readers' code never get here (the worker reports them on the cell).
    worker.onerror = (e) => {
      e.preventDefault();
      this.onCrash(link, e.message || undefined);
    };
    return link;
  }

  private cellsLink(): Link {
    if (!this.link) this.link = this.connect(backendFromUrl());
    return this.link;
  }

  private send(link: Link, msg: ToWorker): void {
    link.port.postMessage(msg);
  }

  /** Resolves true when the worker answers a ping within ANSWER_MS of having taken its port. */
  private answers(link: Link): Promise<boolean> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      link.pongWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      this.send(link, { type: 'ping' });
      this.whenHello(link, () => (timer = setTimeout(() => resolve(false), ANSWER_MS)));
    });
  }

  /** Calls `fn` once the worker has taken its port (at once if it has). */
  private whenHello(link: Link, fn: () => void): void {
    if (link.hello) fn();
    else link.helloWaiters.push(fn);
  }

  /** After a run: a worker that no longer answers is busy with what that run left running. */
  private async checkAfterRun(link: Link): Promise<void> {
    if (!(await this.answers(link)) && this.link === link) this.blameLastRun(link);
  }

  private async runNow(job: WorkerJob, timeoutSeconds: number, onEvent: (e: RunEvent) => void): Promise<RunOutcome | GradeOutcome> {
    if (job.type === 'run') await this.health;
    return new Promise<RunOutcome | GradeOutcome>((resolve) => {
      const runId = this.nextRunId++;
      // Exercise checks get a fresh worker each: no cell has run there, none can reach it.
      const link = job.type === 'grade' ? this.connect(backendFromUrl() === 'auto' ? 'cpu' : backendFromUrl()) : this.cellsLink();
      const started = performance.now();
      const timer = setTimeout(() => this.onTimeout(run), timeoutSeconds * 1000);
      const pinger = setInterval(() => this.send(run.link, { type: 'ping' }), PING_MS);
      const cellId = job.type === 'run' ? job.cellId : null;
      if (cellId !== null) this.finished.delete(cellId);
      const run: ActiveRun = {
        runId,
        cellId,
        link,
        started,
        acknowledged: false,
        onEvent,
        finish: (outcome) => {
          clearTimeout(timer);
          clearInterval(pinger);
          this.active = null;
          this.runCounter++;
          if (job.type === 'grade') run.link.worker.terminate();
          else if (outcome.status === 'ok' || outcome.status === 'error') {
            const after = { runId, onEvent };
            this.finished.set(job.cellId, after);
            this.lastRun = { ...after, link: run.link };
            this.health = this.checkAfterRun(run.link);
          }
          resolve(outcome);
          this.notify();
        },
      };
      this.active = run;
      onEvent({ type: 'started' });
      this.post(run, job);
    });
  }

  /** Sends the job; a worker that does not take it promptly is busy with an earlier run's leftovers. */
  private post(run: ActiveRun, job: WorkerJob): void {
    this.send(run.link, { ...job, runId: run.runId });
    if (run.cellId === null) return;
    const link = run.link;
    this.whenHello(link, () =>
      setTimeout(() => {
        if (this.active !== run || run.acknowledged || run.link !== link) return;
        this.blameLastRun(link);
        run.link = this.cellsLink();
        this.post(run, job);
      }, ANSWER_MS),
    );
  }

  /** The cells' worker stopped answering between runs: the run before is why; the session restarts. */
  private blameLastRun(link: Link): void {
    const last = this.lastRun?.link === link ? this.lastRun : null;
    link.worker.terminate();
    if (this.link === link) this.link = null;
    this.generation++;
    last?.onEvent({ type: 'left-running' });
    this.notify();
  }

  private onMessage(link: Link, msg: FromWorker): void {
    switch (msg.type) {
      case 'hello': {
        link.hello = true;
        link.lastPong = performance.now();
        const waiting = link.helloWaiters;
        link.helloWaiters = [];
        for (const fn of waiting) fn();
        return;
      }
      case 'pong': {
        link.lastPong = performance.now();
        const waiting = link.pongWaiters;
        link.pongWaiters = [];
        for (const fn of waiting) fn();
        return;
      }
      case 'ready':
        if (link === this.link) this.backend = msg.backend;
        return;
      case 'late': {
        for (const after of this.finished.values()) if (after.runId === msg.runId) after.onEvent({ type: 'late', error: msg.error });
        return;
      }
    }
    const run = this.active;
    if (!run || run.link !== link || msg.runId !== run.runId) return;
    switch (msg.type) {
      case 'started':
        run.acknowledged = true;
        return;
      case 'output':
        return run.onEvent({ type: 'output', events: msg.events });
      case 'progress':
        return run.onEvent({ type: 'progress', done: msg.done, total: msg.total, ...(msg.label === undefined ? {} : { label: msg.label }) });
      case 'done':
        return run.finish(msg.ok ? { status: 'ok', ms: msg.ms, exported: msg.exported } : { status: 'error', ms: msg.ms, error: msg.error });
      case 'graded':
        return run.finish({ status: 'graded', ms: msg.ms, report: msg.report });
    }
  }

  private onTimeout(run: ActiveRun): void {
    if (this.active !== run) return;
    // A worker that answered a recent ping was idle, waiting for something; one that did not was computing.
    const answering = run.link.hello && performance.now() - run.link.lastPong < PING_MS + 1500;
    const cause = answering ? 'waiting' : 'busy';
    if (run.link === this.link) this.killCells('timeout', cause);
    else this.endRun(run, { reason: 'timeout', cause });
  }

  private onCrash(link: Link, detail: string | undefined): void {
    const run = this.active;
    if (run?.link === link) {
      if (link === this.link) this.killCells('crash', undefined, detail);
      else this.endRun(run, { reason: 'crash', ...(detail ? { detail } : {}) });
    } else if (link === this.link) {
      this.blameLastRun(link);
    } else link.worker.terminate();
  }

  /** Ends a run in a worker of its own (an exercise check); the cells' session is untouched. */
  private endRun(run: ActiveRun, how: { reason: StopReason; detail?: string; cause?: 'busy' | 'waiting' }): void {
    run.link.worker.terminate();
    run.finish({ status: 'stopped', ms: performance.now() - run.started, ...how });
  }

  private killCells(reason: StopReason, cause?: 'busy' | 'waiting', detail?: string): void {
    const link = this.link;
    link?.worker.terminate();
    this.link = null;
    if (link) this.generation++;
    const run = this.active;
    if (run && run.link === link) {
      run.finish({ status: 'stopped', ms: performance.now() - run.started, reason, ...(detail ? { detail } : {}), ...(cause ? { cause } : {}) });
    } else if (run && reason !== 'crash') this.endRun(run, { reason });
    else if (link) this.notify();
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
