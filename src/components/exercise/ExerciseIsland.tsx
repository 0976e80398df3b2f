// An exercise under its statement: the reader's code (starter code highlighted at build time,
// Monaco on first interaction), Run and Check, the test results, hints one at a time, and the
// solution after a first check. Code and status are saved in this browser (progress-store.ts).
// A course build passes no solution and only the visible tests; the page then says that the
// instructor grades with more tests.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getPageSession, type GradeOutcome } from '../../runtime/page-session.ts';
import type { GradeReport } from '../../runtime/grader.ts';
import { CellOutput } from '../cell/CellOutput.tsx';
import { CodeArea } from '../cell/CodeArea.tsx';
import { useRunOutput } from '../cell/use-run-output.ts';
import { useHydrated } from '../cell/use-hydrated.ts';
import { useLazyEditor } from '../cell/use-lazy-editor.ts';
import { getExercise, updateExercise } from '../progress/progress-store.ts';
import type { ExerciseStatus } from '../progress/progress-format.ts';

interface Props {
  /** `<chapter>/<name>` */
  id: string;
  title: string;
  starter: string;
  /** The tests Check runs: every test (self-study), or only the visible ones (course build). */
  tests: string;
  /** A course build: no solution is shipped (Astro still passes an empty "solution" slot). */
  course?: boolean;
  /** Course build: the instructor's regrader runs hidden tests that this page does not have. */
  instructorTests?: boolean;
  expectedExports: string[];
  timeout: number;
  /** Hints, already rendered to HTML at build time. */
  hints: string[];
  /** The starter code, highlighted (default slot). */
  children?: ComponentChildren;
  /** The reference solution, highlighted (named slot "solution"); empty in a course build. */
  solution?: ComponentChildren;
}

type Phase = 'idle' | 'running' | 'checking';

function stoppedText(outcome: Extract<GradeOutcome, { status: 'stopped' }>, timeout: number): string {
  if (outcome.reason === 'timeout') return `Stopped after ${timeout} s, this exercise's time limit — is there a loop that never ends, or a training loop with far too many steps?`;
  // The check runs in a worker of its own: the reader's code and the page's cells are untouched.
  if (outcome.reason === 'crash') {
    return outcome.detail
      ? `The check stopped unexpectedly: ${outcome.detail}. Your code is still here; change it and check again.`
      : 'The check stopped without saying why; the most common cause is running out of memory, e.g. a tensor with billions of elements. Your code is still here.';
  }
  return 'Stopped.';
}

export default function ExerciseIsland({ id, title, starter, tests, course = false, instructorTests = false, expectedExports, timeout, hints, children, solution }: Props) {
  const session = useMemo(() => getPageSession(), []);
  const [source, setSource] = useState(starter);
  const [status, setStatus] = useState<ExerciseStatus>('not-started');
  const [attempts, setAttempts] = useState(0);
  const [phase, setPhase] = useState<Phase>('idle');
  const { items, onEvent, clear: clearOutput } = useRunOutput();
  const hydrated = useHydrated();
  const [report, setReport] = useState<GradeReport | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [hintsShown, setHintsShown] = useState(0);
  const [showSolution, setShowSolution] = useState(false);
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const edited = source !== starter;

  // Restore the saved code and status.
  useEffect(() => {
    const rec = getExercise(id);
    if (!rec) return;
    if (rec.code !== undefined && rec.code !== starter) setSource(rec.code);
    setStatus(rec.status);
    setAttempts(rec.attempts);
  }, [id, starter]);

  const saveCode = useCallback(
    (code: string) => {
      updateExercise(id, (rec) => {
        const { code: _old, ...rest } = rec;
        return code === starter ? rest : { ...rest, code };
      });
    },
    [id, starter],
  );

  const { editor, editorHost, editorState, openEditor, cancelPendingSave } = useLazyEditor({
    code: () => sourceRef.current,
    modelUri: `file:///exercises/${id}.ts`,
    ariaLabel: `Exercise ${title}: your code (TypeScript editor)`,
    onEdit: setSource,
    save: saveCode,
    onRun: () => void check(),
    onRunAndAdvance: () => void check(),
    onLoadFailed: (message) => setNotice(`The editor could not be loaded (${message}).`),
  });

  const markError = useCallback((line?: number, message?: string) => {
    editor.current?.clearErrors();
    if (line && message) editor.current?.showError(line, message);
  }, []);

  /** Runs the reader's code alone (no tests), in a fresh session, to see what it prints. */
  const run = useCallback(async () => {
    setPhase('running');
    clearOutput();
    setNotice(null);
    markError();
    const outcome = await session.grade({ code: sourceRef.current, tests: '', expectedExports: [] }, timeout, onEvent);
    setPhase('idle');
    if (outcome.status === 'stopped') setNotice(stoppedText(outcome, timeout));
    else if (outcome.report.error) {
      setReport({ ...outcome.report, tests: [] });
      markError(outcome.report.error.line, outcome.report.error.message);
    } else setReport(null);
  }, [session, timeout, onEvent, clearOutput, markError]);

  const check = useCallback(async () => {
    cancelPendingSave();
    const code = sourceRef.current;
    saveCode(code);
    setPhase('checking');
    clearOutput();
    setNotice(null);
    setReport(null);
    markError();
    const outcome = await session.grade({ code, tests, expectedExports }, timeout, onEvent);
    setPhase('idle');
    const passed = outcome.status === 'graded' && !outcome.report.error && outcome.report.total > 0 && outcome.report.passed === outcome.report.total;
    if (outcome.status === 'stopped') setNotice(stoppedText(outcome, timeout));
    else {
      setReport(outcome.report);
      const failedLine = outcome.report.error?.line ?? outcome.report.tests.find((t) => !t.passed && t.line)?.line;
      const message = outcome.report.error?.message ?? outcome.report.tests.find((t) => !t.passed && t.line)?.message;
      markError(failedLine, message);
    }
    const rec = updateExercise(id, (r) => ({
      ...r,
      status: passed || r.status === 'passed' ? 'passed' : 'attempted',
      attempts: r.attempts + 1,
      ...(outcome.status === 'graded' ? { lastPassed: outcome.report.passed, lastTotal: outcome.report.total } : { lastPassed: 0 }),
    }));
    setStatus(rec.status);
    setAttempts(rec.attempts);
  }, [id, session, tests, expectedExports, timeout, onEvent, clearOutput, markError, saveCode, cancelPendingSave]);

  const reset = () => {
    if (!confirm('Replace your code with the starter code? Your version is lost.')) return;
    setSource(starter);
    editor.current?.setValue(starter);
    saveCode(starter);
  };

  const busy = phase !== 'idle';
  const statusLabel = status === 'passed' ? 'Passed' : status === 'attempted' ? 'Attempted' : 'Not attempted';
  const canSeeSolution = attempts > 0;

  return (
    <div class="exercise-island cell-island" data-status={status} data-phase={phase} data-checks={attempts}>
      <div class="cell-toolbar" role="toolbar" aria-label={`Exercise: ${title}`}>
        <button type="button" class="cell-run exercise-check" onClick={() => void check()} disabled={busy || !hydrated} title="Run the tests on your code (Ctrl+Enter in the editor)">
          ✓ Check
        </button>
        <button type="button" class="exercise-run" onClick={() => void run()} disabled={busy || !hydrated} title="Run your code without the tests">
          ▶ Run
        </button>
        {editorState === 'static' && (
          <button type="button" onClick={() => void openEditor()} disabled={!hydrated}>
            Edit
          </button>
        )}
        {edited && (
          <button type="button" onClick={reset}>
            Reset to starter
          </button>
        )}
        <span class="cell-status exercise-status" role="status" data-status={status}>
          {busy ? (phase === 'checking' ? 'Checking…' : 'Running…') : statusLabel}
          {attempts > 0 && !busy && ` · ${attempts} check${attempts === 1 ? '' : 's'}`}
          {edited && <span class="cell-edited"> · edited</span>}
        </span>
      </div>
      <CodeArea
        source={source}
        edited={edited}
        editorState={editorState}
        onOpenEditor={() => void openEditor()}
        editorHost={editorHost}
        editedLabel="Your code"
      >
        {children}
      </CodeArea>
      <div class="cell-output" aria-live="polite">
        {busy && (
          <button type="button" class="cell-stop" onClick={() => session.stop()}>
            ■ Stop
          </button>
        )}
        <CellOutput items={items} />
        {report && <Results report={report} instructorTests={instructorTests} />}
        {notice && <div class="cell-notice" role="alert">{notice}</div>}
      </div>
      <div class="exercise-help">
        {hints.length > 0 && (
          <div class="exercise-hints">
            {hints.slice(0, hintsShown).map((html, i) => (
              <div class="exercise-hint" key={i}>
                <strong>Hint {i + 1}.</strong> <span dangerouslySetInnerHTML={{ __html: html }} />
              </div>
            ))}
            {hintsShown < hints.length && (
              <button type="button" class="exercise-hint-button" onClick={() => setHintsShown((n) => n + 1)} disabled={!hydrated}>
                {hintsShown === 0 ? 'Show a hint' : 'Show another hint'} ({hintsShown + 1} of {hints.length})
              </button>
            )}
          </div>
        )}
        {instructorTests && (
          <p class="exercise-note exercise-instructor-note">
            Check runs the tests on this page. Your instructor grades this exercise with more tests that are not shown here, so
            passing them all here does not guarantee full marks.
          </p>
        )}
        {!course && (
          <div class="exercise-solution">
            <button
              type="button"
              class="exercise-solution-button"
              disabled={!canSeeSolution}
              aria-expanded={showSolution}
              onClick={() => setShowSolution((v) => !v)}
            >
              {showSolution ? 'Hide the solution' : 'Show the solution'}
            </button>
            {!canSeeSolution && <span class="exercise-note"> available after your first check</span>}
            <div class="exercise-solution-code" hidden={!showSolution || !canSeeSolution}>
              {solution}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

function Results({ report, instructorTests }: { report: GradeReport; instructorTests: boolean }) {
  const all = report.total > 0 && report.passed === report.total && !report.error;
  return (
    <div class={`exercise-results ${all ? 'is-passed' : 'is-failed'}`} role="alert">
      {report.error && (
        <div class="cell-error">
          <strong>
            {report.error.where === 'tests' ? 'The tests could not run' : `${report.error.name}${report.error.line ? ` on line ${report.error.line}` : ''}`}:
          </strong>{' '}
          {report.error.message}
          {report.error.hint && <p class="cell-hint">{report.error.hint}</p>}
        </div>
      )}
      {report.total > 0 && (
        <p class="exercise-summary">
          {all
            ? instructorTests
              ? `Passed — all ${report.total} tests on this page. Your instructor runs more tests when grading.`
              : `Passed — all ${report.total} tests.`
            : report.error?.where === 'your code'
              ? `0 of ${report.total} tests passed: none could run, because your code stopped with the error above.`
              : `${report.passed} of ${report.total} tests passed.`}
        </p>
      )}
      {report.tests.length > 0 && !report.error && (
        <ul class="exercise-tests">
          {report.tests.map((t) => (
            <li key={t.name} class={t.passed ? 'test-passed' : 'test-failed'}>
              <span aria-hidden="true">{t.passed ? '✓' : '✗'}</span> <span class="test-name">{t.name}</span>
              <span class="visually-hidden">{t.passed ? ' (passed)' : ' (failed)'}</span>
              {!t.passed && t.message && <div class="test-message">{t.message}</div>}
              {!t.passed && t.hint && <div class="cell-hint">{t.hint}</div>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
