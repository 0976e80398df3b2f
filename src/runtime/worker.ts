// The Web Worker that runs readers' code: either a page's cells (one session: what cells exported)
// or one exercise check (the page starts a fresh worker per check, so no cell can touch a grade).
// Readers' code runs in this worker's global scope, so before any of it runs this module captures
// what the runtime relies on, takes storage and nested workers out of reach (lockdown.ts), and
// takes its messages off the global: they travel on a private MessagePort that the page hands
// over first and that no reader's code can reach, replace or forge.
import { captureConsole, describeThrown } from './output.ts';
import { explainCellError, runCell, type Session } from './execute.ts';
import { gradeCode } from './grader.ts';
import type { CellError, ConnectMessage, FromWorker, ModelView, OutputEvent, PlotSpec, ToWorker } from './protocol.ts';
import { initWebGPU, setBackend } from '../engine/index.ts';
import * as bookModule from './book-module.ts';
import { shippedPath } from './cell-api.ts';
import { installTimers, type RunScope } from './background.ts';
import { lockDown } from './lockdown.ts';
import { listed, watchEngine } from './engine-changes.ts';
import { MAX_FIGURES, MAX_RUN_CHARS, boundPlot, boundView } from './bound-output.ts';

// Captured first: readers' code may replace any of these on the global or on a prototype.
const apply = Reflect.apply;
const portPost = MessagePort.prototype.postMessage;
const eventData = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!.get!;
const now = performance.now.bind(performance);
const siteFetch = fetch.bind(self);
const responseOk = Object.getOwnPropertyDescriptor(Response.prototype, 'ok')!.get!;
const responseStatus = Object.getOwnPropertyDescriptor(Response.prototype, 'status')!.get!;
const responseBytes = Response.prototype.arrayBuffer;
const bufferSlice = ArrayBuffer.prototype.slice;

let port: MessagePort | null = null;
const post = (msg: FromWorker) => {
  if (port) apply(portPost, port, [msg]);
};

/** Where an error came from when no cell's line threw it. */
const UNAWAITED = 'a promise nobody awaited';
const UNAWAITED_HINT = 'A promise was rejected and nothing awaited it or caught it (Uncaught in promise): `await` it, or add `.catch(…)`.';

/** Which run each timer scope belongs to, for errors reported after the run ended. */
const runIds = new WeakMap<RunScope, { runId: number; cellId: string }>();
const timers = installTimers(self as unknown as Record<string, unknown>, (run, error, source) => {
  const owner = runIds.get(run);
  if (!owner) return;
  const explained = explainCellError(error, owner.cellId);
  post({ type: 'late', runId: owner.runId, error: { ...explained, hint: joinHints(afterEndHint(source), explained.hint) } });
});
// An error nobody caught, or a promise rejected with nobody awaiting it, belongs to a cell too:
// reported there rather than as an error of the page (or as a "crash" that ends the session).
self.addEventListener('error', (e) => {
  e.preventDefault();
  timers.uncaught(e.error ?? e.message, 'a callback');
});
self.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  timers.uncaught(e.reason, UNAWAITED);
});
lockDown(self);

// The book's own data files for `datasets`, fetched with the fetch this worker had before any
// reader's code ran, from this site only, once per page.
const siteBase = new URL(import.meta.env.BASE_URL, self.location.origin);
const shippedFiles = new Map<string, Promise<ArrayBuffer>>();
function readShipped(path: string): Promise<Uint8Array> {
  let file = shippedFiles.get(path);
  if (!file) {
    file = siteFetch(new URL(shippedPath(path), siteBase)).then((r) => {
      if (!apply(responseOk, r, [])) throw new Error(`datasets: could not download ${path} (HTTP ${apply(responseStatus, r, [])})`);
      return apply(responseBytes, r, []) as Promise<ArrayBuffer>;
    });
    file.catch(() => shippedFiles.delete(path));
    shippedFiles.set(path, file);
  }
  // A copy each time: what one cell does to the bytes must not reach the next reader of the file.
  return file.then((buffer) => new Uint8Array(apply(bufferSlice, buffer, [0]) as ArrayBuffer));
}

/** Console calls kept per run; more are counted and summarised. */
const CONSOLE_LIMIT = 1000;
/** Progress messages are thinned to about this many per second. */
const PROGRESS_PER_SECOND = 20;
/** Output is sent in batches, at most one per this many ms (the page redraws once per batch). */
const BATCH_MS = 50;

const session: Session = new Map();
const engineChanges = watchEngine(bookModule as unknown as Record<string, unknown>);

/** How long the worker waits for a WebGPU adapter before it settles for the CPU. */
const ADAPTER_WAIT_MS = 8000;

/**
 * The engine's backend, chosen once per worker: from the page's `connect` message (sent first),
 * else 'auto' (WebGPU where there is an adapter). Runs wait for it; 'ready' names it. A browser
 * that never answers the adapter request must not hold the reader's first run hostage.
 */
let backendReady: Promise<void> | null = null;
function startBackend(choice: 'auto' | 'cpu' | 'webgpu' = 'auto'): Promise<void> {
  backendReady ??= (async () => {
    const gpu =
      choice === 'cpu'
        ? null
        : await Promise.race([
            initWebGPU().catch(() => null),
            new Promise<null>((resolve) => timers.natives.setTimeout(() => resolve(null), ADAPTER_WAIT_MS)),
          ]);
    if (!gpu && choice === 'webgpu') console.warn('WebGPU is not available in this browser; cells run on the CPU backend.');
    setBackend(gpu ? 'webgpu' : 'cpu');
    post({ type: 'ready', backend: gpu ? 'webgpu' : 'cpu' });
  })();
  return backendReady;
}

self.onmessage = (event: MessageEvent<ConnectMessage>) => {
  const msg = event.data;
  if (port || msg?.type !== 'connect') return;
  port = msg.port;
  port.onmessage = onPortMessage;
  self.onmessage = null;
  post({ type: 'hello' });
  void startBackend(msg.backend);
};

function onPortMessage(event: MessageEvent): void {
  const msg = apply(eventData, event, []) as ToWorker;
  if (msg.type === 'ping') return post({ type: 'pong' });
  if (msg.type !== 'run' && msg.type !== 'grade') return;
  const started = now();
  post({ type: 'started', runId: msg.runId });
  runJob(msg, started).catch((e: unknown) => {
    // The runtime itself failed, most likely because a cell replaced a built-in it uses: say which.
    let culprit: string | undefined;
    try {
      const own = msg.type === 'run' ? engineChanges.check(msg.cellId) : [];
      culprit = own.length
        ? `This cell changed JavaScript's built-ins or the engine (${listed(own)}), which the runtime relies on. "Restart session" clears it.`
        : msg.type === 'run' ? engineChanges.hintFor(msg.cellId) : undefined;
    } catch {
      culprit = undefined;
    }
    const error: CellError = {
      name: 'Error',
      message: `The cell runtime failed: ${describeThrown((e as Error)?.message ?? e)}`,
      hint: culprit ?? 'An earlier cell may have changed JavaScript\'s built-ins that the runtime relies on. "Restart session" gives a fresh one.',
    };
    post({ type: 'done', runId: msg.runId, ok: false, ms: now() - started, error });
  });
}

/** Output of one run, sent in batches; a redraw of a figure replaces one of the same id still waiting. */
function outbox(runId: number) {
  let events: OutputEvent[] = [];
  let timer: number | null = null;
  const send = () => {
    if (timer !== null) timers.natives.clearTimeout(timer);
    timer = null;
    if (!events.length) return;
    const batch = events;
    events = [];
    post({ type: 'output', runId, events: batch });
  };
  return {
    push(e: OutputEvent) {
      const id = e.kind === 'plot' ? e.spec.id : undefined;
      const waiting = id === undefined ? -1 : events.findIndex((x) => x.kind === 'plot' && x.spec.id === id);
      if (waiting >= 0) events[waiting] = e;
      else events.push(e);
      timer ??= timers.natives.setTimeout(send, BATCH_MS);
    },
    send,
  };
}

async function runJob(msg: Extract<ToWorker, { type: 'run' | 'grade' }>, started: number): Promise<void> {
  await startBackend();
  const { runId } = msg;
  const box = outbox(runId);
  let lastProgress = 0;
  const out = captureConsole((level, parts) => box.push({ kind: 'console', level, parts }), {
    limit: CONSOLE_LIMIT,
    maxChars: MAX_RUN_CHARS,
    onDropped: (lines) => box.push({ kind: 'dropped', lines }),
  });
  // Figures past MAX_FIGURES are counted, not drawn; redraws of a figure with an id are free.
  const figureIds = new Set<string>();
  let figures = 0;
  let droppedFigures = 0;
  const host = {
    plot: (spec: Promise<PlotSpec>) =>
      out.inOrder(spec, (s) => {
        if (s.id === undefined || !figureIds.has(s.id)) {
          if (figures >= MAX_FIGURES) return void droppedFigures++;
          figures++;
          if (s.id !== undefined) figureIds.add(s.id);
        }
        box.push({ kind: 'plot', spec: boundPlot(s) });
      }),
    view: (view: Promise<ModelView>) =>
      out.inOrder(view, (v) => {
        if (figures >= MAX_FIGURES) return void droppedFigures++;
        figures++;
        box.push({ kind: 'view', view: boundView(v) });
      }),
    progress(done: number, total: number, label?: string) {
      const t = now();
      if (done < total && t - lastProgress < 1000 / PROGRESS_PER_SECOND) return;
      lastProgress = t;
      post({ type: 'progress', runId, done, total, ...(label === undefined ? {} : { label }) });
    },
    readShipped,
  };
  const finishOutput = async () => {
    await out.flush();
    if (droppedFigures) box.push({ kind: 'dropped', lines: 0, figures: droppedFigures });
    box.send();
  };

  const run = timers.begin();
  if (msg.type === 'grade') {
    // A worker of its own per check: the page's cells neither help nor hinder, nor reach it.
    const report = await gradeCode({ code: msg.code, tests: msg.tests, expectedExports: msg.expectedExports, console: out.console, host });
    timers.end(run);
    await finishOutput();
    post({ type: 'graded', runId, ms: now() - started, report });
    return;
  }
  runIds.set(run, { runId, cellId: msg.cellId });
  const result = await runCell(msg.code, { cellId: msg.cellId, session, console: out.console, host, settle: () => timers.whenQuiet(run) });
  const cancelled = timers.end(run);
  engineChanges.check(msg.cellId);
  if (cancelled) {
    const text = `${cancelled} timer${cancelled === 1 ? ' this cell set was' : 's this cell set were'} still scheduled when it finished (a setInterval, or timers after an error), and ${cancelled === 1 ? 'was' : 'were'} cancelled so that nothing keeps running behind later cells. Stop an interval with clearInterval, or await the work inside the cell.`;
    out.console.warn(text);
  }
  await finishOutput();
  const ms = now() - started;
  let error: CellError | null = result.ok ? null : result.error;
  if (!error && run.uncaught) {
    const explained = explainCellError(run.uncaught.error, msg.cellId);
    error = { ...explained, hint: joinHints(duringRunHint(run.uncaught.source), explained.hint) };
  }
  if (error) {
    post({ type: 'done', runId, ok: false, ms, error: { ...error, hint: joinHints(error.hint, engineChanges.hintFor(msg.cellId)) } });
  } else if (result.ok) {
    post({ type: 'done', runId, ok: true, ms, exported: result.exported });
  }
}

function joinHints(...hints: Array<string | undefined>): string {
  let text = '';
  for (const h of hints) if (h) text += (text ? ' ' : '') + h;
  return text;
}

function duringRunHint(source: string): string {
  return source === UNAWAITED ? UNAWAITED_HINT : `This was thrown by ${source} the cell set up (for example a setTimeout callback), not by the cell's own lines.`;
}

function afterEndHint(source: string): string {
  return source === UNAWAITED
    ? `${UNAWAITED_HINT} It was reported after the cell had finished.`
    : `After this cell had finished, ${source} it left behind threw. Await the work a cell starts, so that its errors show while it runs.`;
}
