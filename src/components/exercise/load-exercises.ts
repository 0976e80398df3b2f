// Every exercise and quiz of the book, read from src/content/exercises in Node (the Vitest honesty
// tests and the instructor's regrader; the site itself reads them through Astro's content layer).
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseExercise, type ExerciseSource } from './exercise-source.ts';
import { parseQuiz, type QuizSource } from '../quiz/quiz-source.ts';

export const EXERCISES_DIR = new URL('../../content/exercises/', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

const idOf = (file: string, dir: string) => relative(dir, file).replace(/\.(md|yaml)$/, '').split('\\').join('/');

export function loadExercises(dir = EXERCISES_DIR): ExerciseSource[] {
  return walk(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => parseExercise(readFileSync(f, 'utf8'), idOf(f, dir), relative(process.cwd(), f)));
}

export function loadQuizzes(dir = EXERCISES_DIR): QuizSource[] {
  return walk(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parseQuiz(readFileSync(f, 'utf8'), idOf(f, dir), relative(process.cwd(), f)));
}
