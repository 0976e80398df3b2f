// Every exercise and quiz of the book, read from src/content/exercises in Node (the Vitest honesty
// tests and the instructor's regrader; the site itself reads them through Astro's content layer).
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseExercise, type ExerciseSource } from '../../runtime/exercise-source.ts';
import { parseQuiz, type QuizSource } from '../quiz/quiz-source.ts';

export const EXERCISES_DIR = new URL('../../content/exercises/', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

const idOf = (file: string, dir: string) => relative(dir, file).replace(/\.(md|yaml)$/, '').split('\\').join('/');

export const DOCS_DIR = new URL('../../content/docs/', import.meta.url).pathname;

/**
 * Book order: by chapter as the chapters' files are named, then by where the chapter places the
 * item (`<Exercise id="…">`, `<Quiz id="…">`); items no page places come last in their chapter.
 */
function inBookOrder<T extends { id: string; chapter: string }>(items: T[], docsDir: string): T[] {
  const pages = new Map<string, string>();
  const placed = (item: T) => {
    if (!pages.has(item.chapter)) {
      let text = '';
      try {
        text = readFileSync(join(docsDir, `${item.chapter}.mdx`), 'utf8');
      } catch {
        /* no such page */
      }
      pages.set(item.chapter, text);
    }
    const at = pages.get(item.chapter)!.indexOf(`id="${item.id}"`);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  return [...items].sort((a, b) => a.chapter.localeCompare(b.chapter) || placed(a) - placed(b) || a.id.localeCompare(b.id));
}

export function loadExercises(dir = EXERCISES_DIR, docsDir = DOCS_DIR): ExerciseSource[] {
  const all = walk(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => parseExercise(readFileSync(f, 'utf8'), idOf(f, dir), relative(process.cwd(), f)));
  return inBookOrder(all, docsDir);
}

export function loadQuizzes(dir = EXERCISES_DIR, docsDir = DOCS_DIR): QuizSource[] {
  const all = walk(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parseQuiz(readFileSync(f, 'utf8'), idOf(f, dir), relative(process.cwd(), f)));
  return inBookOrder(all, docsDir);
}
