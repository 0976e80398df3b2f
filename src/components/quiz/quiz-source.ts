// One quiz = one YAML file, src/content/exercises/<chapter>/<id>.yaml (beside the chapter's
// exercises). This module reads and checks it, and grades answers: pure, so the quiz island, the
// build and the instructor's regrader all agree.
//
//   title: Choosing the bandwidth
//   points: 1
//   questions:
//     - prompt: What happens when σ is very small?      # Markdown with $math$
//       choices:                                       # one correct → radio buttons;
//         - text: The fit chases the noise.            # several correct (or several: true) → checkboxes
//           correct: true
//         - text: The fit is a flat line.
//       explanation: Only the nearest point …          # shown after answering
//     - prompt: What is α for …?
//       answer: 0.6225                                  # a numeric question
//       tolerance: 0.001                                # absolute; default 1e-6 × max(1, |answer|)
//       explanation: …
import { parse as parseYaml } from 'yaml';

export interface ChoiceQuestion {
  kind: 'choice';
  prompt: string;
  choices: Array<{ text: string; correct: boolean }>;
  /** Checkboxes ("choose all that apply") rather than radio buttons. */
  several: boolean;
  explanation: string;
}

export interface NumericQuestion {
  kind: 'numeric';
  prompt: string;
  answer: number;
  tolerance: number;
  explanation: string;
}

export type QuizQuestion = ChoiceQuestion | NumericQuestion;

export interface QuizSource {
  /** `<chapter>/<name>`, from the file's path under src/content/exercises. */
  id: string;
  chapter: string;
  title: string;
  points: number;
  questions: QuizQuestion[];
}

/** A reader's answer: the indices of the chosen choices, or a number; null when not answered. */
export type QuizAnswer = number[] | number | null;

function fail(file: string, where: string, what: string): never {
  throw new Error(`${file}: ${where}: ${what}`);
}

export function parseQuizData(data: unknown, id: string, file = `${id}.yaml`): QuizSource {
  if (!data || typeof data !== 'object') fail(file, 'the file', 'is not a YAML mapping');
  const { title, points = 1, questions } = data as Record<string, unknown>;
  if (typeof title !== 'string' || !title.trim()) fail(file, 'title', 'is missing');
  if (typeof points !== 'number' || !(points > 0)) fail(file, 'points', 'must be a positive number');
  if (!Array.isArray(questions) || questions.length === 0) fail(file, 'questions', 'must be a non-empty list');
  const parsed = questions.map((raw: unknown, i): QuizQuestion => {
    const where = `question ${i + 1}`;
    const q = raw as Record<string, unknown>;
    if (!q || typeof q.prompt !== 'string') fail(file, where, 'needs a prompt');
    if (typeof q.explanation !== 'string') fail(file, where, 'needs an explanation (shown after answering)');
    if ('answer' in q) {
      if (typeof q.answer !== 'number') fail(file, where, 'answer must be a number');
      const tolerance = q.tolerance ?? 1e-6 * Math.max(1, Math.abs(q.answer));
      if (typeof tolerance !== 'number' || !(tolerance >= 0)) fail(file, where, 'tolerance must be a number ≥ 0');
      return { kind: 'numeric', prompt: q.prompt as string, answer: q.answer, tolerance, explanation: q.explanation as string };
    }
    if (!Array.isArray(q.choices) || q.choices.length < 2) fail(file, where, 'needs `choices` (two or more) or a numeric `answer`');
    const choices = (q.choices as unknown[]).map((c, j) => {
      const choice = c as Record<string, unknown>;
      if (!choice || typeof choice.text !== 'string') fail(file, `${where}, choice ${j + 1}`, 'needs a text');
      return { text: choice.text as string, correct: choice.correct === true };
    });
    const nCorrect = choices.filter((c) => c.correct).length;
    if (nCorrect === 0) fail(file, where, 'no choice is marked correct: true');
    return { kind: 'choice', prompt: q.prompt as string, choices, several: q.several === true || nCorrect > 1, explanation: q.explanation as string };
  });
  const slash = id.indexOf('/');
  if (slash < 0) fail(file, 'the path', 'quizzes live in a chapter folder: src/content/exercises/<chapter>/<id>.yaml');
  return { id, chapter: id.slice(0, slash), title: title as string, points: points as number, questions: parsed };
}

export function parseQuiz(text: string, id: string, file = `${id}.yaml`): QuizSource {
  return parseQuizData(parseYaml(text), id, file);
}

/** Whether one answer is right: exactly the correct choices, or a number within the tolerance. */
export function isCorrect(q: QuizQuestion, answer: QuizAnswer): boolean {
  if (q.kind === 'numeric') return typeof answer === 'number' && Number.isFinite(answer) && Math.abs(answer - q.answer) <= q.tolerance + 1e-12;
  if (!Array.isArray(answer)) return false;
  const chosen = new Set(answer);
  return q.choices.every((c, i) => c.correct === chosen.has(i)) && answer.every((i) => Number.isInteger(i) && i >= 0 && i < q.choices.length);
}

export function gradeQuiz(quiz: QuizSource, answers: readonly QuizAnswer[]): { correct: number; total: number; score: number } {
  const correct = quiz.questions.filter((q, i) => isCorrect(q, answers[i] ?? null)).length;
  const total = quiz.questions.length;
  return { correct, total, score: Math.round((quiz.points * correct * 100) / total) / 100 };
}
