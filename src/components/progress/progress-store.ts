// Progress in this browser: exercise and quiz records in localStorage (small, synchronous, and
// shared by every tab; a 'storage' event tells other tabs). Blocked storage never throws into the
// page: nothing is saved and one warning is logged.
import { cleanProgress, emptyProgress, type ExerciseRecord, type Progress, type QuizRecord } from './progress-format.ts';

const KEY = 'attention-lab-progress';
const STUDENT_KEY = 'attention-lab-student';
const CHANGED = 'attention-lab-progress-changed';
let warned = false;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn('Attention Lab: your progress cannot be saved in this browser (storage unavailable).', error);
}

export function loadProgress(): Progress {
  try {
    const raw = storage()?.getItem(KEY);
    return raw ? cleanProgress(JSON.parse(raw)) : emptyProgress();
  } catch (error) {
    warnOnce(error);
    return emptyProgress();
  }
}

export function saveProgress(progress: Progress): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(progress));
  } catch (error) {
    warnOnce(error);
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGED));
}

export function getExercise(id: string): ExerciseRecord | undefined {
  return loadProgress().exercises[id];
}

/** Changes one exercise's record (created as 'not-started' if new). */
export function updateExercise(id: string, change: (rec: ExerciseRecord) => ExerciseRecord): ExerciseRecord {
  const progress = loadProgress();
  const next = change(progress.exercises[id] ?? { status: 'not-started', attempts: 0, updatedAt: 0 });
  progress.exercises[id] = { ...next, updatedAt: Date.now() };
  saveProgress(progress);
  return progress.exercises[id]!;
}

export function getQuiz(id: string): QuizRecord | undefined {
  return loadProgress().quizzes[id];
}

export function saveQuiz(id: string, rec: Omit<QuizRecord, 'updatedAt'>): void {
  const progress = loadProgress();
  progress.quizzes[id] = { ...rec, updatedAt: Date.now() };
  saveProgress(progress);
}

/** Calls fn when progress changes in this tab or another one. */
export function onProgressChange(fn: () => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY || e.key === null) fn();
  };
  window.addEventListener(CHANGED, fn);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGED, fn);
    window.removeEventListener('storage', onStorage);
  };
}

/** The name and id the student typed for exports, remembered for next time. */
export function loadStudent(): { name: string; id: string } {
  try {
    const v = JSON.parse(storage()?.getItem(STUDENT_KEY) ?? '{}') as { name?: unknown; id?: unknown };
    return { name: typeof v.name === 'string' ? v.name : '', id: typeof v.id === 'string' ? v.id : '' };
  } catch {
    return { name: '', id: '' };
  }
}

export function saveStudent(student: { name: string; id: string }): void {
  try {
    storage()?.setItem(STUDENT_KEY, JSON.stringify(student));
  } catch (error) {
    warnOnce(error);
  }
}
