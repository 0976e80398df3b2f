// Export and import: progress (exercise and quiz records, exercise code) and the saved edits of
// code cells, as one versioned JSON file — to move to another machine, or to submit to an instructor.
import { useState } from 'preact/hooks';
import { loadProgress, loadStudent, saveProgress, saveStudent } from './progress-store.ts';
import { makeProgressFile, parseProgressFile } from './progress-format.ts';
import { allEdits, saveEdit } from '../cell/saved-edits.ts';
import { useHydrated } from '../cell/use-hydrated.ts';

function fileName(student: { name: string; id: string }): string {
  const who = (student.id || student.name || 'student').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'student';
  return `attention-lab-progress-${who}-${new Date().toISOString().slice(0, 10)}.json`;
}

export default function TransferPanel() {
  const [student, setStudent] = useState(() => (typeof localStorage === 'undefined' ? { name: '', id: '' } : loadStudent()));
  const hydrated = useHydrated();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const update = (patch: Partial<typeof student>) => {
    const next = { ...student, ...patch };
    setStudent(next);
    saveStudent(next);
  };

  const exportFile = async () => {
    const edits = Object.fromEntries(await allEdits());
    const file = makeProgressFile(loadProgress(), edits, { name: student.name.trim(), id: student.id.trim() });
    const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName(student);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    const n = Object.keys(file.exercises).length + Object.keys(file.quizzes).length;
    setMessage({ kind: 'ok', text: `Exported ${n} exercise and quiz records and ${Object.keys(edits).length} code edits.` });
  };

  const importFile = async (input: HTMLInputElement) => {
    const picked = input.files?.[0];
    input.value = '';
    if (!picked) return;
    const parsed = parseProgressFile(await picked.text());
    if (!parsed.ok) {
      setMessage({ kind: 'error', text: `${picked.name} was not imported: ${parsed.error}.` });
      return;
    }
    const { file } = parsed;
    const progress = loadProgress();
    Object.assign(progress.exercises, file.exercises);
    Object.assign(progress.quizzes, file.quizzes);
    saveProgress(progress);
    for (const [key, edit] of Object.entries(file.edits)) await saveEdit(key, edit.code, edit.original);
    if (!student.name && !student.id && (file.student.name || file.student.id)) update(file.student);
    const n = Object.keys(file.exercises).length + Object.keys(file.quizzes).length;
    setMessage({ kind: 'ok', text: `Imported ${n} exercise and quiz records and ${Object.keys(file.edits).length} code edits from ${picked.name}.` });
  };

  return (
    <section class="progress-transfer" aria-labelledby="progress-transfer-title">
      <h2 id="progress-transfer-title">Export and import</h2>
      <p>
        One file holds your results, your answers and all the code you wrote (exercises and edited code cells). Import it in
        another browser to continue there, or hand it in to your instructor. Importing replaces the records in this browser for
        the exercises, quizzes and cells the file contains and keeps the rest.
      </p>
      {/* Disabled until hydrated: a file picked or a name typed before then would be lost. */}
      <fieldset class="island-fieldset" disabled={!hydrated}>
        <div class="progress-student">
          <label>
            Your name <input type="text" name="student-name" autoComplete="name" value={student.name} onInput={(e) => update({ name: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <label>
            Student ID <input type="text" name="student-id" value={student.id} onInput={(e) => update({ id: (e.currentTarget as HTMLInputElement).value })} />
          </label>
        </div>
        <div class="progress-actions">
          <button type="button" class="progress-export" onClick={() => void exportFile()}>
            Export progress and code
          </button>
          <label class="progress-import">
            Import a progress file <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e.currentTarget as HTMLInputElement)} />
          </label>
        </div>
      </fieldset>
      {message && (
        <p class={`progress-message is-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
