// The Web Worker that runs readers' cells for one page: one session (what cells exported), the
// engine, and nothing of the page — no DOM, no storage. The page kills it to stop a run.
import { captureConsole } from './output.ts';
import { runCell, type Session } from './execute.ts';
import { gradeCode } from './grader.ts';
import type { FromWorker, PlotSpec, ToWorker } from './protocol.ts';
import { initWebGPU, setBackend } from '../engine/index.ts';
import { shippedPath } from './cell-api.ts';

const post = (msg: FromWorker) => (self as unknown as Worker).postMessage(msg);

// The book's own data files for `datasets`, fetched with the fetch this worker had before any
// reader's code ran, from this site only, once per page.
const siteFetch = fetch.bind(self);
const siteBase = new URL(import.meta.env.BASE_URL, self.location.origin);
const shippedFiles = new Map<string, Promise<string>>();
function readShipped(path: string): Promise<string> {
  let text = shippedFiles.get(path);
  if (!text) {
    text = siteFetch(new URL(shippedPath(path), siteBase)).then((r) => {
      if (!r.ok) throw new Error(`datasets: could not download ${path} (HTTP ${r.status})`);
      return r.text();
    });
    text.catch(() => shippedFiles.delete(path));
    shippedFiles.set(path, text);
  }
  return text;
}

// Readers' code runs in this global scope: take storage and network-ish APIs out of reach.
for (const name of ['indexedDB', 'caches', 'localStorage', 'sessionStorage', 'importScripts']) {
  try {
    Object.defineProperty(self, name, { value: undefined, configurable: false, writable: false });
  } catch {
    /* not present in this browser */
  }
}

/** Console calls kept per run; more are counted and summarised. */
const CONSOLE_LIMIT = 1000;
/** Progress messages are thinned to about this many per second. */
const PROGRESS_PER_SECOND = 20;

const session: Session = new Map();

/** How long the worker waits for a WebGPU adapter before it settles for the CPU. */
const ADAPTER_WAIT_MS = 8000;

/**
 * The engine's backend, chosen once per worker: from the page's `configure` message (sent
 * first), else 'auto' (WebGPU where there is an adapter). Runs wait for it; 'ready' names it.
 * A browser that never answers the adapter request must not hold the reader's first run hostage.
 */
let backendReady: Promise<void> | null = null;
function startBackend(choice: 'auto' | 'cpu' | 'webgpu' = 'auto'): Promise<void> {
  backendReady ??= (async () => {
    const gpu =
      choice === 'cpu'
        ? null
        : await Promise.race([
            initWebGPU().catch(() => null),
            new Promise<null>((resolve) => setTimeout(() => resolve(null), ADAPTER_WAIT_MS)),
          ]);
    if (!gpu && choice === 'webgpu') console.warn('WebGPU is not available in this browser; cells run on the CPU backend.');
    setBackend(gpu ? 'webgpu' : 'cpu');
    post({ type: 'ready', backend: gpu ? 'webgpu' : 'cpu' });
  })();
  return backendReady;
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'configure') {
    void startBackend(msg.backend);
    return;
  }
  if (msg.type !== 'run' && msg.type !== 'grade') return;
  await startBackend();
  const { runId } = msg;
  const started = performance.now();
  let lastProgress = 0;
  const out = captureConsole((level, parts) => post({ type: 'console', runId, level, parts }), {
    limit: CONSOLE_LIMIT,
    onDropped: (lines) => post({ type: 'dropped', runId, lines }),
  });
  const host = {
    plot: (spec: Promise<PlotSpec>) => out.inOrder(spec, (s) => post({ type: 'plot', runId, spec: s })),
    progress(done: number, total: number, label?: string) {
      const now = performance.now();
      if (done < total && now - lastProgress < 1000 / PROGRESS_PER_SECOND) return;
      lastProgress = now;
      post({ type: 'progress', runId, done, total, ...(label === undefined ? {} : { label }) });
    },
    readShipped,
  };
  if (msg.type === 'grade') {
    // Exercises are graded in a session of their own: the page's cells neither help nor hinder.
    const report = await gradeCode({ code: msg.code, tests: msg.tests, expectedExports: msg.expectedExports, console: out.console, host });
    await out.flush();
    post({ type: 'graded', runId, ms: performance.now() - started, report });
    return;
  }
  const result = await runCell(msg.code, { cellId: msg.cellId, session, console: out.console, host });
  await out.flush();
  const ms = performance.now() - started;
  post(result.ok ? { type: 'done', runId, ok: true, ms, exported: result.exported } : { type: 'done', runId, ok: false, ms, error: result.error });
};
