// The reader's progress: a table per chapter (status and score of every exercise and quiz, from
// this browser's storage), and one file to export and import progress and code.
import { useEffect, useState } from 'preact/hooks';
import { loadProgress, onProgressChange } from './progress-store.ts';
import type { Progress } from './progress-format.ts';
import TransferPanel from './TransferPanel.tsx';

export interface CatalogItem {
  kind: 'exercise' | 'quiz';
  id: string;
  title: string;
  points: number;
  href: string;
}

export interface CatalogChapter {
  id: string;
  title: string;
  href: string;
  items: CatalogItem[];
}

function statusOf(item: CatalogItem, progress: Progress): { label: string; state: string; detail: string } {
  if (item.kind === 'exercise') {
    const rec = progress.exercises[item.id];
    if (!rec || rec.status === 'not-started') return { label: rec?.code ? 'Started (not checked)' : 'Not started', state: 'not-started', detail: '' };
    const last = rec.lastTotal ? `last check: ${rec.lastPassed ?? 0} of ${rec.lastTotal} tests` : '';
    const checks = `${rec.attempts} check${rec.attempts === 1 ? '' : 's'}`;
    return rec.status === 'passed'
      ? { label: 'Passed', state: 'passed', detail: checks }
      : { label: 'Attempted', state: 'attempted', detail: [last, checks].filter(Boolean).join(', ') };
  }
  const rec = progress.quizzes[item.id];
  if (!rec) return { label: 'Not answered', state: 'not-started', detail: '' };
  const detail = `${rec.correct} of ${rec.total} correct`;
  return rec.status === 'correct' ? { label: 'Correct', state: 'passed', detail } : { label: 'Answered', state: 'attempted', detail };
}

export default function ProgressIsland({ chapters }: { chapters: CatalogChapter[] }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    const refresh = () => setProgress(loadProgress());
    refresh();
    return onProgressChange(refresh);
  }, []);

  const all = chapters.flatMap((c) => c.items);
  const done = progress ? all.filter((i) => statusOf(i, progress).state === 'passed').length : 0;

  return (
    <div class="progress-island">
      <p class="progress-summary" role="status">
        {progress ? `${done} of ${all.length} exercises and quizzes done.` : 'Reading your progress…'}
      </p>
      {chapters.map((chapter) => (
        <section key={chapter.id} class="progress-chapter" aria-labelledby={`progress-${chapter.id}`}>
          <h2 id={`progress-${chapter.id}`}>
            <a href={chapter.href}>{chapter.title}</a>
          </h2>
          <table class="progress-table">
            <thead>
              <tr>
                <th scope="col">Exercise or quiz</th>
                <th scope="col">Points</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {chapter.items.map((item) => {
                const s = progress ? statusOf(item, progress) : { label: '…', state: 'unknown', detail: '' };
                return (
                  <tr key={item.id} data-item-id={item.id} data-state={s.state}>
                    <td>
                      <a href={item.href}>{item.title}</a> <span class="exercise-note">({item.kind})</span>
                    </td>
                    <td>{item.points}</td>
                    <td class="progress-status">
                      <span class="progress-state" data-state={s.state}>{s.label}</span>
                      {s.detail && <span class="exercise-note"> · {s.detail}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
      <TransferPanel />
    </div>
  );
}
