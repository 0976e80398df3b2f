// Timers that readers' code sets belong to the cell that set them. A cell is not finished while a
// timeout it set is pending (as a script in Node is not), an error thrown in a timer is reported on
// that cell, and what is still scheduled when the cell ends (intervals, timers after an error) is
// cancelled and reported on it — never left to break a later cell.

export interface RunScope {
  /** Timers this run set that have not fired or been cleared. */
  readonly timeouts: Set<number>;
  readonly intervals: Set<number>;
  /** The first error thrown by a timer (or a promise nobody awaited) while the run lasted. */
  uncaught?: { error: unknown; source: string };
  /** Wakes `whenQuiet`. */
  wake?: () => void;
  /** Set once the run has finished: what it left behind is reported with `onLate`. */
  finished: boolean;
}

type Handler = (...args: unknown[]) => unknown;

interface Natives {
  setTimeout(fn: () => void, ms?: number): number;
  clearTimeout(id: number): void;
  setInterval(fn: () => void, ms?: number): number;
  clearInterval(id: number): void;
}

/**
 * Replaces the timer functions of `scope` with ones that remember their run. Returns the natives
 * (for the runtime's own use) and the functions the worker drives runs with.
 */
export function installTimers(scope: Record<string, unknown>, onLate: (run: RunScope, error: unknown, source: string) => void) {
  const natives: Natives = {
    setTimeout: (scope.setTimeout as Natives['setTimeout']).bind(scope),
    clearTimeout: (scope.clearTimeout as Natives['clearTimeout']).bind(scope),
    setInterval: (scope.setInterval as Natives['setInterval']).bind(scope),
    clearInterval: (scope.clearInterval as Natives['clearInterval']).bind(scope),
  };
  let current: RunScope | null = null;
  /** The run that finished last: what is left running most likely came from it. */
  let last: RunScope | null = null;
  const owners = new Map<number, RunScope>();

  function report(run: RunScope | null, error: unknown, source: string): void {
    if (!run) return;
    if (!run.finished) {
      run.uncaught ??= { error, source };
      run.wake?.();
    } else onLate(run, error, source);
  }

  /** Runs a timer's callback as its run: errors, including a rejected promise it returns, go to that run. */
  function call(run: RunScope | null, handler: Handler, args: unknown[]): void {
    const outer = current;
    current = run;
    try {
      const result = handler(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, (e) => report(run, e, 'a timer'));
      }
    } catch (e) {
      report(run, e, 'a timer');
    } finally {
      current = outer;
    }
  }

  const needFunction = (what: string, handler: unknown) => {
    if (typeof handler !== 'function') throw new TypeError(`${what} needs a function in a cell (a string of code is not run).`);
  };

  scope.setTimeout = function setTimeout(handler: Handler, ms?: number, ...args: unknown[]): number {
    needFunction('setTimeout', handler);
    const run = current ?? last;
    const id: number = natives.setTimeout(() => {
      owners.delete(id);
      run?.timeouts.delete(id);
      call(run, handler, args);
      if (run && run.timeouts.size === 0) run.wake?.();
    }, ms);
    if (run) {
      if (!run.finished) run.timeouts.add(id);
      owners.set(id, run);
    }
    return id;
  };
  scope.setInterval = function setInterval(handler: Handler, ms?: number, ...args: unknown[]): number {
    needFunction('setInterval', handler);
    const run = current ?? last;
    const id = natives.setInterval(() => call(run, handler, args), ms);
    if (run) {
      run.intervals.add(id);
      owners.set(id, run);
    }
    return id;
  };
  const clear = (id: number) => {
    natives.clearTimeout(id);
    natives.clearInterval(id);
    const run = owners.get(id);
    owners.delete(id);
    if (run) {
      run.timeouts.delete(id);
      run.intervals.delete(id);
      if (run.timeouts.size === 0) run.wake?.();
    }
  };
  scope.clearTimeout = clear;
  scope.clearInterval = clear;
  // Scheduling a frame in a worker is a timer like any other here.
  if (typeof scope.requestAnimationFrame === 'function') {
    scope.requestAnimationFrame = (handler: Handler) => (scope.setTimeout as (h: Handler, ms: number) => number)(() => handler(performance.now()), 16);
    scope.cancelAnimationFrame = clear;
  }

  return {
    natives,
    /** An error or rejection nobody caught: it belongs to the running cell, else to the last one. */
    uncaught(error: unknown, source: string): void {
      report(current ?? last, error, source);
    },
    /** Starts a run: code from here on (and its timers) belongs to it. */
    begin(): RunScope {
      const run: RunScope = { timeouts: new Set(), intervals: new Set(), finished: false };
      current = run;
      return run;
    },
    /**
     * Waits until the run's pending timeouts have fired, or a timer threw. A microtask turn and a
     * task pass afterwards, so a promise rejected at the very end is still reported on the run.
     */
    async whenQuiet(run: RunScope): Promise<void> {
      while (run.timeouts.size > 0 && !run.uncaught) {
        await new Promise<void>((resolve) => (run.wake = resolve));
        run.wake = undefined;
      }
      await new Promise<void>((resolve) => natives.setTimeout(resolve, 0));
    },
    /** Ends the run: what it still had scheduled is cancelled; returns how many timers that was. */
    end(run: RunScope): number {
      const left = run.timeouts.size + run.intervals.size;
      for (const id of [...run.timeouts, ...run.intervals]) clear(id);
      run.finished = true;
      if (current === run) current = null;
      last = run;
      return left;
    },
  };
}
