// npm run grade -- <folder of exported progress files> [--out grades.csv] [--time-scale 2] [--memory-mb 1024] [--jobs N]
// Regrades every submission in a sandboxed Node process (grade-sandbox.ts) and writes one CSV row
// per folder entry (see grade-csv.ts for the format and src/content/docs/instructors.mdx for the how-to).
import { writeFileSync } from 'node:fs';
import { loadExercises, loadQuizzes } from '../src/components/exercise/load-exercises.ts';
import { gradeFolder } from './grade-batch.ts';
import { gradesCsv } from './grade-csv.ts';

function usage(message?: string): never {
  if (message) console.error(`grade: ${message}`);
  console.error('usage: npm run grade -- <folder of exported submissions> [--out grades.csv] [--time-scale N] [--memory-mb MB] [--jobs N]');
  process.exit(2);
}

const args = process.argv.slice(2);
let folder: string | undefined;
let out = 'grades.csv';
let timeScale = 1;
let memoryMb: number | undefined;
let concurrency: number | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--out') out = args[++i] ?? usage('--out needs a file name');
  else if (a === '--time-scale') timeScale = Number(args[++i]);
  else if (a === '--memory-mb') memoryMb = Number(args[++i]);
  else if (a === '--jobs') concurrency = Number(args[++i]);
  else if (a === '--help' || a === '-h') usage();
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (folder) usage('give one folder');
  else folder = a;
}
if (!folder) usage();
if (!(timeScale > 0)) usage('--time-scale must be a positive number');
if (memoryMb !== undefined && !(Number.isInteger(memoryMb) && memoryMb >= 128)) usage('--memory-mb must be a whole number of MB, at least 128');
if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) usage('--jobs must be a whole number, at least 1');

/** File names and messages come from students: no control characters reach the terminal. */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

const exercises = loadExercises();
const quizzes = loadQuizzes();
const started = Date.now();
console.error(`grade: ${exercises.length} exercises, ${quizzes.length} quizzes; grading ${folder}`);
const rows = await gradeFolder(folder, {
  exercises,
  quizzes,
  timeScale,
  concurrency,
  limits: memoryMb ? { memoryMb } : undefined,
  onProgress: (m) => console.error(`  ${printable(m)}`),
});
const columns = [...exercises, ...quizzes].map((x) => ({ id: x.id, header: `${x.id} (${x.points} ${x.points === 1 ? 'pt' : 'pts'})` }));
writeFileSync(out, gradesCsv(rows, columns));
const failed = rows.filter((r) => !r.scores).length;
console.error(`grade: ${rows.length} entries (${failed} not graded) in ${((Date.now() - started) / 1000).toFixed(1)} s → ${out}`);
