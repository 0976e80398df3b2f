// A quiz: single- and multiple-choice and numeric questions; "Check answers" marks each one and
// shows its explanation. Answers and the result are saved in this browser (progress-store.ts).
import { useEffect, useState } from 'preact/hooks';
import { gradeQuiz, isCorrect, type QuizAnswer, type QuizQuestion } from './quiz-source.ts';
import { getQuiz, saveQuiz } from '../progress/progress-store.ts';
import { useHydrated } from '../cell/use-hydrated.ts';

export type RenderedQuestion = QuizQuestion & { promptHtml: string; explanationHtml: string; choicesHtml: string[] };

interface Props {
  id: string;
  title: string;
  points: number;
  questions: RenderedQuestion[];
}

export default function QuizIsland({ id, title, points, questions }: Props) {
  const [answers, setAnswers] = useState<QuizAnswer[]>(() => questions.map(() => null));
  const [numericText, setNumericText] = useState<string[]>(() => questions.map(() => ''));
  const [checked, setChecked] = useState(false);
  const hydrated = useHydrated();

  useEffect(() => {
    const rec = getQuiz(id);
    if (!rec) return;
    setAnswers(questions.map((_, i) => rec.answers[i] ?? null));
    setNumericText(questions.map((_, i) => (typeof rec.answers[i] === 'number' ? String(rec.answers[i]) : '')));
    setChecked(true);
  }, [id, questions]);

  const setAnswer = (i: number, a: QuizAnswer) => {
    setAnswers((xs) => xs.map((x, j) => (j === i ? a : x)));
    setChecked(false);
  };

  const check = () => {
    const result = gradeQuiz({ id, chapter: '', title, points, questions }, answers);
    saveQuiz(id, {
      status: result.correct === result.total ? 'correct' : result.correct > 0 ? 'partly' : 'incorrect',
      answers,
      correct: result.correct,
      total: result.total,
    });
    setChecked(true);
  };

  const result = gradeQuiz({ id, chapter: '', title, points, questions }, answers);
  const unanswered = answers.some((a) => a === null || (Array.isArray(a) && a.length === 0));

  return (
    <form class="quiz-island" onSubmit={(e) => { e.preventDefault(); check(); }} data-checked={checked ? 'true' : 'false'}>
      {/* Disabled until hydrated: an answer or a submit before then would be lost (or reload the page). */}
      <fieldset class="island-fieldset" disabled={!hydrated}>
        <ol class="quiz-questions">
          {questions.map((q, i) => {
            const name = `${id.replace(/[^\w-]/g, '-')}-q${i}`;
            const right = isCorrect(q, answers[i] ?? null);
            return (
              <li class="quiz-question" key={i} data-result={checked ? (right ? 'correct' : 'incorrect') : 'open'}>
                <div role="group" aria-labelledby={`${name}-prompt`}>
                  <div class="quiz-prompt" id={`${name}-prompt`} dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
                  {q.kind === 'choice' ? (
                    <>
                      {q.several && <p class="exercise-note">Choose all that apply.</p>}
                      {q.choicesHtml.map((html, j) => {
                        const chosen = Array.isArray(answers[i]) && (answers[i] as number[]).includes(j);
                        return (
                          <label class="quiz-choice" key={j}>
                            <input
                              type={q.several ? 'checkbox' : 'radio'}
                              name={name}
                              checked={chosen}
                              onChange={(e) => {
                                const on = (e.currentTarget as HTMLInputElement).checked;
                                const prev = Array.isArray(answers[i]) ? (answers[i] as number[]) : [];
                                setAnswer(i, q.several ? (on ? [...prev, j].sort() : prev.filter((k) => k !== j)) : [j]);
                              }}
                            />{' '}
                            <span dangerouslySetInnerHTML={{ __html: html }} />
                          </label>
                        );
                      })}
                    </>
                  ) : (
                    <label class="quiz-numeric">
                      Your answer:{' '}
                      <input
                        type="text"
                        inputMode="decimal"
                        value={numericText[i]}
                        onInput={(e) => {
                          const text = (e.currentTarget as HTMLInputElement).value;
                          setNumericText((xs) => xs.map((x, j) => (j === i ? text : x)));
                          const value = Number(text.trim().replace(',', '.'));
                          setAnswer(i, text.trim() === '' || !Number.isFinite(value) ? null : value);
                        }}
                      />
                    </label>
                  )}
                </div>
                {checked && (
                  <div class={`quiz-feedback ${right ? 'is-correct' : 'is-incorrect'}`} role="status">
                    <strong>{right ? 'Correct.' : answers[i] === null ? 'Not answered.' : 'Not quite.'}</strong>
                    <div dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
                  </div>
                )}
              </li>
            );
          })}
        </ol>
        <div class="quiz-actions">
          <button type="submit" class="quiz-check">Check answers</button>
          {checked && (
            <span class="quiz-score" role="status">
              {result.correct} of {result.total} correct
            </span>
          )}
          {!checked && unanswered && <span class="exercise-note">Answer every question, then check.</span>}
        </div>
      </fieldset>
    </form>
  );
}
