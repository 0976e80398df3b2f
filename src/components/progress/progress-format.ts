// The exported progress file: one versioned JSON document with a student's exercise results,
// quiz answers and code (exercise code and saved edits of code cells). The browser writes and
// reads it; the instructor's regrader reads it. Pure, no DOM.
import type { QuizAnswer } from '../quiz/quiz-source.ts';
import type { SavedEdit } from '../cell/saved-edits.ts';

export const PROGRESS_FORMAT = 'attention-lab-progress';
export const PROGRESS_VERSION = 1;

export type ExerciseStatus = 'not-started' | 'attempted' | 'passed';

export interface ExerciseRecord {
  /** 'passed' once every test passed in some check; it stays so (the regrader grades the code). */
  status: ExerciseStatus;
  /** The reader's current code (saved while typing); absent while it is the starter code. */
  code?: string;
  /** Checks run so far. */
  attempts: number;
  /** Tests passed / run in the latest check. */
  lastPassed?: number;
  lastTotal?: number;
  updatedAt: number;
}

export type QuizStatus = 'correct' | 'partly' | 'incorrect';

export interface QuizRecord {
  status: QuizStatus;
  /** One answer per question, in order (choice indices, or a number). */
  answers: QuizAnswer[];
  correct: number;
  total: number;
  updatedAt: number;
}

export interface Progress {
  exercises: Record<string, ExerciseRecord>;
  quizzes: Record<string, QuizRecord>;
}

export interface ProgressFile extends Progress {
  format: typeof PROGRESS_FORMAT;
  version: typeof PROGRESS_VERSION;
  exportedAt: string;
  student: { name: string; id: string };
  /** Saved edits of ordinary code cells, keyed `<page path>#<cell id>`. */
  edits: Record<string, SavedEdit>;
}

export const emptyProgress = (): Progress => ({ exercises: {}, quizzes: {} });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function cleanExercise(v: unknown): ExerciseRecord | null {
  if (!isObject(v) || !['not-started', 'attempted', 'passed'].includes(v.status as string)) return null;
  return {
    status: v.status as ExerciseStatus,
    ...(typeof v.code === 'string' ? { code: v.code } : {}),
    attempts: typeof v.attempts === 'number' && v.attempts >= 0 ? Math.floor(v.attempts) : 0,
    ...(typeof v.lastPassed === 'number' ? { lastPassed: v.lastPassed } : {}),
    ...(typeof v.lastTotal === 'number' ? { lastTotal: v.lastTotal } : {}),
    updatedAt: typeof v.updatedAt === 'number' ? v.updatedAt : 0,
  };
}

function cleanAnswer(a: unknown): QuizAnswer {
  if (typeof a === 'number' && Number.isFinite(a)) return a;
  if (Array.isArray(a) && a.every((i) => Number.isInteger(i))) return a as number[];
  return null;
}

function cleanQuiz(v: unknown): QuizRecord | null {
  if (!isObject(v) || !['correct', 'partly', 'incorrect'].includes(v.status as string) || !Array.isArray(v.answers)) return null;
  return {
    status: v.status as QuizStatus,
    answers: v.answers.map(cleanAnswer),
    correct: typeof v.correct === 'number' ? v.correct : 0,
    total: typeof v.total === 'number' ? v.total : 0,
    updatedAt: typeof v.updatedAt === 'number' ? v.updatedAt : 0,
  };
}

function cleanEdit(v: unknown): SavedEdit | null {
  if (!isObject(v) || typeof v.code !== 'string' || typeof v.original !== 'string') return null;
  return { code: v.code, original: v.original, originalHash: typeof v.originalHash === 'string' ? v.originalHash : '', savedAt: typeof v.savedAt === 'number' ? v.savedAt : 0 };
}

/** Keeps the well-formed records of a stored or imported progress object, drops the rest. */
export function cleanProgress(v: unknown): Progress {
  const out = emptyProgress();
  if (!isObject(v)) return out;
  for (const [id, r] of Object.entries(isObject(v.exercises) ? v.exercises : {})) {
    const rec = cleanExercise(r);
    if (rec) out.exercises[id] = rec;
  }
  for (const [id, r] of Object.entries(isObject(v.quizzes) ? v.quizzes : {})) {
    const rec = cleanQuiz(r);
    if (rec) out.quizzes[id] = rec;
  }
  return out;
}

export type ParsedProgressFile =
  | { ok: true; file: ProgressFile }
  /** `student` when the file was JSON with a student in it (e.g. a wrong version), to name the row. */
  | { ok: false; error: string; student?: { name: string; id: string } };

/** Reads an exported file's text: JSON, our format, a version we know. Errors say what is wrong. */
export function parseProgressFile(text: string): ParsedProgressFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON (${(e as Error).message})` };
  }
  if (!isObject(data) || data.format !== PROGRESS_FORMAT) {
    return { ok: false, error: `not an Attention Lab progress file (expected "format": "${PROGRESS_FORMAT}")` };
  }
  const student = isObject(data.student) ? data.student : {};
  const who = { name: typeof student.name === 'string' ? student.name : '', id: typeof student.id === 'string' ? student.id : '' };
  if (data.version !== PROGRESS_VERSION) {
    return { ok: false, student: who, error: `progress file version ${JSON.stringify(data.version)} is not supported (this book reads version ${PROGRESS_VERSION})` };
  }
  const edits: Record<string, SavedEdit> = {};
  for (const [k, v] of Object.entries(isObject(data.edits) ? data.edits : {})) {
    const e = cleanEdit(v);
    if (e) edits[k] = e;
  }
  return {
    ok: true,
    file: {
      format: PROGRESS_FORMAT,
      version: PROGRESS_VERSION,
      exportedAt: typeof data.exportedAt === 'string' ? data.exportedAt : '',
      student: who,
      ...cleanProgress(data),
      edits,
    },
  };
}

export function makeProgressFile(progress: Progress, edits: Record<string, SavedEdit>, student: { name: string; id: string }, now = new Date()): ProgressFile {
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, exportedAt: now.toISOString(), student, ...progress, edits };
}
