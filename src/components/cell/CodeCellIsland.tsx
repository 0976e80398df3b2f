// A runnable code cell: the book's code (highlighted at build time, passed in as children), an
// editor that loads on first interaction, Run / Run all above / Reset / Restart, and the output.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getPageSession, type RunEvent, type RunOutcome } from '../../runtime/page-session.ts';
import type { CellError } from '../../runtime/protocol.ts';
import { CellOutput } from './CellOutput.tsx';
import { CodeArea } from './CodeArea.tsx';
import { useRunOutput } from './use-run-output.ts';
import { useHydrated } from './use-hydrated.ts';
import { allCells, cellAfter, cellsBefore, cellsChanged, onCellsChanged, ranAfter, registerCell } from './registry.ts';
import { cellKey, clearEdit, loadEdit, saveEdit } from './saved-edits.ts';
import { SAVE_DELAY_MS, useLazyEditor, type EditorModule } from './use-lazy-editor.ts';

interface Props {
  id: string;
  code: string;
  index: number;
  timeout: number;
  children?: ComponentChildren;
}

type Status = 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'stopped';

/** Loaded on the first interaction with any cell of the page; shared by all cells. */
let editorModule: EditorModule | null = null;

/** Tell the type checker about every cell of the page, so names earlier cells export are known. */
function syncPageCells(): void {
  editorModule?.setPageCells(allCells().map((c) => ({ modelUri: c.modelUri, code: c.code() })));
}

function stoppedMessage(outcome: Extract<RunOutcome, { status: 'stopped' }>, timeout: number): string {
  const reset = 'The session was reset, so values exported by earlier cells are gone: use “Run all above”, then run this cell again.';
  switch (outcome.reason) {
    case 'timeout':
      return outcome.cause === 'waiting'
        ? `Stopped after ${timeout} s, this cell's time limit, while the code was waiting for something that never happened: an \`await\` on a promise that never settles, or timers it kept setting. ${reset}`
        : `Stopped after ${timeout} s, this cell's time limit, while the code was busy computing the whole time — is there a loop that never ends? ${reset}`;
    case 'crash':
      return outcome.detail
        ? `The code worker stopped unexpectedly: ${outcome.detail}. ${reset}`
        : `The code worker stopped without saying why; the most common cause is running out of memory, e.g. a tensor with billions of elements. ${reset}`;
    case 'restart':
      return 'Stopped because the session was restarted.';
    default:
      return `Stopped. ${reset}`;
  }
}

/** What a cell left running after it finished kept the worker busy, so the page replaced it. */
const LEFT_RUNNING =
  'After this cell finished, work it left running (a loop in a promise chain or a callback) kept the code worker busy, so the session was restarted: values exported by earlier cells are gone. Let the cell await the work it starts, and make sure every loop ends; then use “Run all above”.';

export default function CodeCellIsland({ id, code: original, index, timeout, children }: Props) {
  const session = useMemo(() => getPageSession(), []);
  // Rendered once on the server (no location there); the key is only used in the browser.
  const key = useMemo(() => cellKey(typeof location === 'undefined' ? '' : location.pathname, id), [id]);
  const modelUri = useMemo(
    () => `file:///cells${typeof location === 'undefined' ? '' : location.pathname.replace(/\/$/, '')}/${id}.ts`,
    [id],
  );
  const [source, setSource] = useState(original);
  const [savedOriginal, setSavedOriginal] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>('idle');
  const output = useRunOutput();
  const hydrated = useHydrated();
  const [error, setError] = useState<CellError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number; label?: string } | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [stale, setStale] = useState(false);
  const [showDiff, setShowDiff] = useState(false);
  const lastRun = useRef<{ counter: number; generation: number; code: string } | null>(null);
  const staticHost = useRef<HTMLDivElement>(null);
  const diffHost = useRef<HTMLDivElement>(null);
  const sourceRef = useRef(source);
  sourceRef.current = source;

  const { editor, editorHost, editorState, openEditor } = useLazyEditor({
    code: () => sourceRef.current,
    modelUri,
    ariaLabel: `Code cell ${index + 1}, ${id}: TypeScript editor`,
    onEdit: setSource,
    save(value) {
      if (value === original) void clearEdit(key);
      else void saveEdit(key, value, original);
      setSavedOriginal(value === original ? null : original);
    },
    onRun: () => void run(),
    onRunAndAdvance: () => runAndAdvance(),
    onLoadFailed: (message) => setNotice(`The editor could not be loaded (${message}). You can still run the code as shown.`),
    beforeCreate(module) {
      editorModule = module;
      syncPageCells();
    },
  });

  const edited = source !== original;
  const originalChanged = savedOriginal !== null && savedOriginal !== original;

  // Restore this cell's saved edit, if the reader made one in an earlier visit.
  useEffect(() => {
    loadEdit(key).then((saved) => {
      if (!saved || saved.code === original) return;
      setSource(saved.code);
      setSavedOriginal(saved.original);
    });
  }, [key, original]);

  const recomputeStale = useCallback(() => {
    const r = lastRun.current;
    setStale(!!r && (r.generation !== session.generation || r.code !== sourceRef.current || ranAfter(index, r.counter)));
  }, [index, session]);

  useEffect(() => {
    const offSession = session.subscribe(recomputeStale);
    const offCells = onCellsChanged(recomputeStale);
    return () => {
      offSession();
      offCells();
    };
  }, [recomputeStale, session]);
  useEffect(recomputeStale, [source, recomputeStale]);

  const showErrorLine = useCallback((err: CellError | null) => {
    staticHost.current?.querySelectorAll('.cell-error-mark').forEach((el) => el.classList.remove('cell-error-mark'));
    editor.current?.clearErrors();
    if (!err?.line) return;
    if (editor.current) {
      editor.current.showError(err.line, err.message, err.column);
    } else {
      const lines = staticHost.current?.querySelectorAll('.ec-line, .cell-plain-line');
      lines?.[err.line - 1]?.classList.add('cell-error-mark');
    }
  }, []);

  const run = useCallback(async (): Promise<boolean> => {
    const code = sourceRef.current;
    setStatus(session.busy ? 'queued' : 'running');
    output.clear();
    setError(null);
    setNotice(null);
    setProgress(null);
    showErrorLine(null);
    const onEvent = (e: RunEvent) => {
      if (e.type === 'started') setStatus('running');
      else if (e.type === 'progress') setProgress({ done: e.done, total: e.total, ...(e.label ? { label: e.label } : {}) });
      else if (e.type === 'late') {
        // Reported on this cell even after it finished: the cell that set the work up is the one to fix.
        setStatus('error');
        setError(e.error);
        showErrorLine(e.error);
      } else if (e.type === 'left-running') {
        setStatus('stopped');
        setNotice(LEFT_RUNNING);
        lastRun.current = null;
        recomputeStale();
      } else output.onEvent(e);
    };
    const outcome = await session.run(id, code, timeout, onEvent);
    setMs(outcome.ms);
    setProgress(null);
    lastRun.current = { counter: session.runCounter, generation: session.generation, code };
    if (outcome.status === 'ok') setStatus('ok');
    else if (outcome.status === 'error') {
      setStatus('error');
      setError(outcome.error);
      showErrorLine(outcome.error);
    } else {
      setStatus('stopped');
      setNotice(stoppedMessage(outcome, timeout));
      if (outcome.reason !== 'restart') lastRun.current = null;
    }
    recomputeStale();
    cellsChanged();
    return outcome.status === 'ok';
  }, [id, timeout, session, showErrorLine, recomputeStale, output.clear, output.onEvent]);

  const runAllAbove = useCallback(async () => {
    for (const cell of cellsBefore(index)) {
      if (!(await cell.run())) {
        setNotice(`A cell above (number ${cell.index + 1} on this page) failed, so this one was not run.`);
        return;
      }
    }
    await run();
  }, [index, run]);

  const runAndAdvance = useCallback(() => {
    void run();
    const next = cellAfter(index);
    if (next) next.focus();
  }, [index, run]);

  useEffect(
    () =>
      registerCell({
        index,
        modelUri,
        code: () => sourceRef.current,
        lastRun: () => lastRun.current,
        run,
        focus: () => {
          const el = staticHost.current?.closest('.code-cell') as HTMLElement | null;
          el?.scrollIntoView({ block: 'nearest' });
          if (editor.current) editor.current.focus();
          else (el?.querySelector('.cell-run') as HTMLButtonElement | null)?.focus();
        },
      }),
    [index, modelUri, run],
  );

  // Other cells' edits change which names this page exports; keep the checker in step.
  useEffect(() => {
    if (!editorModule) return;
    const timer = setTimeout(syncPageCells, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [source]);

  useEffect(() => {
    if (!showDiff || !diffHost.current || savedOriginal === null) return;
    let alive = true;
    import('./diff-view.ts').then(({ renderLineDiff }) => {
      if (alive && diffHost.current) diffHost.current.replaceChildren(renderLineDiff(savedOriginal, original));
    });
    return () => {
      alive = false;
    };
  }, [showDiff, savedOriginal, original]);

  const reset = () => {
    setSource(original);
    editor.current?.setValue(original);
    setSavedOriginal(null);
    setShowDiff(false);
    void clearEdit(key);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || editorState === 'ready') return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      void run();
    } else if (e.shiftKey) {
      e.preventDefault();
      runAndAdvance();
    }
  };

  const running = status === 'running' || status === 'queued';
  const statusText =
    status === 'idle' ? 'Not run yet'
    : status === 'queued' ? 'Waiting for the cell before it…'
    : status === 'running' ? 'Running…'
    : status === 'ok' ? `Ran in ${formatMs(ms)}`
    : status === 'error' ? `Error after ${formatMs(ms)}`
    : 'Stopped';

  return (
    <div class="cell-island" data-status={status} data-stale={stale ? 'true' : 'false'} onKeyDown={onKeyDown}>
      <div class="cell-toolbar" role="toolbar" aria-label={`Code cell ${index + 1}`}>
        <button type="button" class="cell-run" onClick={() => void run()} disabled={running || !hydrated} title="Run (Ctrl+Enter; Shift+Enter runs and moves on)">
          ▶ Run
        </button>
        {index > 0 && (
          <button type="button" onClick={() => void runAllAbove()} disabled={running || !hydrated}>
            Run all above
          </button>
        )}
        {editorState === 'static' && (
          <button type="button" onClick={() => void openEditor()} disabled={!hydrated}>
            Edit
          </button>
        )}
        {edited && (
          <button type="button" onClick={reset} title="Throw away your changes and restore the book's code">
            Reset to original
          </button>
        )}
        <button type="button" onClick={() => session.restart()} disabled={!hydrated} title="Clear everything earlier cells defined">
          Restart session
        </button>
        <span class="cell-status" role="status">
          {statusText}
          {stale && status !== 'running' && <span class="cell-stale"> · stale: the session changed since this ran</span>}
          {edited && <span class="cell-edited"> · edited</span>}
        </span>
      </div>
      {originalChanged && (
        <div class="cell-banner">
          The book's code for this cell has changed since you edited it.{' '}
          <button type="button" class="cell-linkish" onClick={() => setShowDiff((v) => !v)} aria-expanded={showDiff}>
            {showDiff ? 'Hide' : 'Show'} what changed in the book
          </button>{' '}
          <button type="button" class="cell-linkish" onClick={reset}>
            Use the book's new version
          </button>
          {showDiff && <div ref={diffHost} class="cell-diff" />}
        </div>
      )}
      <CodeArea
        source={source}
        edited={edited}
        editorState={editorState}
        onOpenEditor={() => void openEditor()}
        editorHost={editorHost}
        staticHost={staticHost}
        editedLabel="Your edited code"
      >
        {children}
      </CodeArea>
      <div class="cell-output" aria-live="polite">
        {progress && (
          <div class="cell-progress">
            <progress max={progress.total} value={progress.done} aria-label="Progress" />
            <span>
              {progress.done} / {progress.total}
              {progress.label ? ` · ${progress.label}` : ''}
            </span>
          </div>
        )}
        {running && (
          <button type="button" class="cell-stop" onClick={() => session.stop()}>
            ■ Stop
          </button>
        )}
        <CellOutput items={output.items} />
        {error && (
          <div class="cell-error" role="alert">
            <strong>
              {error.name}
              {error.line ? ` on line ${error.line}` : ''}:
            </strong>{' '}
            {error.message}
            {error.hint && <p class="cell-hint">{error.hint}</p>}
          </div>
        )}
        {notice && <div class="cell-notice" role="alert">{notice}</div>}
      </div>
    </div>
  );
}

function formatMs(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}
