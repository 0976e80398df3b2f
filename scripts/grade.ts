// npm run grade -- <folder of exported progress files> [--out grades.csv] [--time-scale 2]
// Regrades every submission in Node and writes one CSV row per student (see grade-csv.ts for the
// format and src/content/docs/instructors.mdx for the how-to).
import { writeFileSync } from 'node:fs';
import { loadExercises, loadQuizzes } from '../src/components/exercise/load-exercises.ts';
import { gradeFolder } from './grade-batch.ts';
import { gradesCsv } from './grade-csv.ts';

function usage(message?: string): never {
  if (message) console.error(`grade: ${message}`);
  console.error('usage: npm run grade -- <folder of exported submissions> [--out grades.csv] [--time-scale N]');
  process.exit(2);
}

const args = process.argv.slice(2);
let folder: string | undefined;
let out = 'grades.csv';
let timeScale = 1;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--out') out = args[++i] ?? usage('--out needs a file name');
  else if (a === '--time-scale') timeScale = Number(args[++i]);
  else if (a === '--help' || a === '-h') usage();
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (folder) usage('give one folder');
  else folder = a;
}
if (!folder) usage();
if (!(timeScale > 0)) usage('--time-scale must be a positive number');

const exercises = loadExercises();
const quizzes = loadQuizzes();
const started = Date.now();
console.error(`grade: ${exercises.length} exercises, ${quizzes.length} quizzes; grading ${folder}`);
const rows = await gradeFolder(folder, { exercises, quizzes, timeScale, onProgress: (m) => console.error(`  ${m}`) });
const columns = [...exercises, ...quizzes].map((x) => ({ id: x.id, header: `${x.id} (${x.points} ${x.points === 1 ? 'pt' : 'pts'})` }));
writeFileSync(out, gradesCsv(rows, columns));
const failed = rows.filter((r) => !r.scores).length;
console.error(`grade: ${rows.length} submissions (${failed} unreadable) in ${((Date.now() - started) / 1000).toFixed(1)} s → ${out}`);
