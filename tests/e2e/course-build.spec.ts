// The course build (`npm run build:course`, ATTENTION_LAB_COURSE=1) as a student and a curious
// student see it: no reference solution and no hidden test anywhere in what the site serves — the
// HTML, the JavaScript chunks, the search index (Pagefind's gzipped fragments) — and the page's
// Check runs the visible tests and says that the instructor grades with more.
//
// scripts/test.sh builds it into .cache/dist-course beside the ordinary build (COURSE_DIST to point
// elsewhere). The same search is run on the self-study build (dist/, which has both), so a search
// that could not see the code would fail here rather than pass quietly.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { loadExercises } from '../../src/components/exercise/load-exercises.ts';
import { watchForProblems } from './site';

const root = new URL('../../', import.meta.url).pathname;
const courseDist = process.env.COURSE_DIST ?? join(root, '.cache/dist-course');
const studyDist = process.env.E2E_DIST ?? join(root, 'dist');
const coursePort = Number(process.env.COURSE_PORT ?? 4398);
const exercises = loadExercises();

/** Files that hold no text worth searching (models, fonts, images, wasm). */
const BINARY = /\.(onnx|wasm|woff2?|ttf|png|jpe?g|gif|webp|avif|ico)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? m),
  );
const unescapeJs = (s: string) =>
  s
    .replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\(["'`\\/])/g, '$1');
/** Whitespace (and expressive-code's DEL line separator) as single spaces, so lines match however they are laid out. */
const squash = (s: string) => s.replace(/[\s\u007f]+/g, ' ');

/**
 * Everything a build serves, as text a search can find code in: each file as it is, gunzipped
 * when gzipped, with HTML entities and JS string escapes undone, and with the HTML tags removed
 * (highlighted code is one span per token).
 */
function builtText(dir: string): string {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: build it first (npm run build:course, or ATTENTION_LAB_COURSE=1 npx astro build --outDir ${dir})`);
  const views: string[] = [];
  for (const file of files(dir)) {
    if (BINARY.test(file)) continue;
    let bytes = readFileSync(file);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    const raw = bytes.toString('utf8');
    views.push(raw, unescapeJs(decodeEntities(raw)), decodeEntities(raw.replace(/<[^>]*>/g, '')));
  }
  return squash(views.join('\n'));
}

/** Lines long enough to be telling (a lone `});` is not), also without their trailing comment. */
const codeLines = (code: string) =>
  code
    .split('\n')
    .flatMap((l) => [l, l.replace(/\s\/\/.*$/, '')])
    .map((l) => squash(l.trim()))
    .filter((l) => l.length >= 12);
const testNames = (code: string) => [...code.matchAll(/\btest\(\s*(['"`])(.+?)\1/g)].map((m) => m[2]!);

/** Every chapter's source, which the book shows anyway. */
const docsText = squash(
  readdirSync(join(root, 'src/content/docs'))
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => readFileSync(join(root, 'src/content/docs', f), 'utf8'))
    .join('\n'),
);

/** What the course build may show: every exercise's starter, visible tests, statement and hints (a line one
 * exercise shows is no secret of another's), and the chapters. */
const shown = `${squash(exercises.flatMap((ex) => [ex.starter, ex.visibleTests, ex.statement, ...ex.hints]).join('\n'))} ${docsText}`;

/** The solution's and the hidden tests' lines and names that appear nowhere a course site may show. */
function secretsOf(ex: (typeof exercises)[number]): string[] {
  const candidates = [...codeLines(ex.solution), ...codeLines(ex.hiddenTests), ...testNames(ex.hiddenTests)];
  return [...new Set(candidates.filter((s) => !shown.includes(s)))];
}

test.describe('the course build', () => {
  test('has no reference solution and no hidden test anywhere in its output', () => {
    const course = builtText(courseDist);
    for (const ex of exercises) {
      // The search finds what the course build does ship (the same encodings the secrets would be in) ...
      for (const line of codeLines(ex.starter)) expect(course.includes(line), `${ex.id}: starter line missing: ${line}`).toBe(true);
      for (const name of testNames(ex.visibleTests)) expect(course.includes(name), `${ex.id}: visible test missing: ${name}`).toBe(true);
      // ... and none of what it must not.
      const secrets = secretsOf(ex);
      expect(secrets.length, `${ex.id}: a solution with no line of its own`).toBeGreaterThan(0);
      const leaked = secrets.filter((s) => course.includes(s));
      expect(leaked, `${ex.id}: solution or hidden-test text in the course build`).toEqual([]);
    }
    expect(exercises.some((ex) => ex.hiddenTests), 'at least one exercise has hidden tests').toBe(true);
  });

  test('the same search finds the solutions and hidden tests in the self-study build', () => {
    const study = builtText(studyDist);
    for (const ex of exercises) {
      const missing = secretsOf(ex).filter((s) => !study.includes(s));
      expect(missing, `${ex.id}: the search cannot see these lines in the self-study build`).toEqual([]);
    }
  });
});

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
};

/**
 * Serves the course build on a port of its own for the duration of fn (a plain static server:
 * Astro allows one `astro preview` per project, and Playwright's serves the self-study build).
 */
async function withCourseServer(fn: (base: string) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    let file = join(courseDist, normalize(path));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(courseDist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(coursePort, 'localhost', resolve));
  try {
    await fn(`http://localhost:${coursePort}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Puts code in an exercise the way its editor saves it, then reloads. */
async function setCode(page: Page, id: string, code: string): Promise<void> {
  // Reloading while the first load still fetches (search's lazy script) aborts that request.
  await page.waitForLoadState('networkidle');
  await page.evaluate(
    ([exerciseId, text]) => {
      const key = 'attention-lab-progress';
      const progress = JSON.parse(localStorage.getItem(key) ?? '{"exercises":{},"quizzes":{}}');
      progress.exercises[exerciseId!] = { status: 'not-started', attempts: 0, code: text, updatedAt: Date.now() };
      localStorage.setItem(key, JSON.stringify(progress));
    },
    [id, code],
  );
  await page.reload();
}

test('in the course build, Check runs the visible tests and says the instructor runs more; no solution to show', async ({ page }) => {
  await withCourseServer(async (base) => {
    const problems = watchForProblems(page);
    await page.goto(`${base}/attention-pooling/`);
    const ex = page.locator('#exercise-attention-pool');
    await expect(ex.locator('.exercise-instructor-note')).toContainText('Your instructor grades this exercise with more tests');
    await expect(page.getByRole('button', { name: 'Show the solution' })).toHaveCount(0);
    await expect(page.locator('.exercise-solution')).toHaveCount(0);

    // A loop passes every visible test; the hidden "no loops" test is the instructor's.
    await setCode(
      page,
      'attention-pooling/attention-pool',
      `import { stack, type Tensor } from 'attention-lab';
export function attentionPool(weights: Tensor, values: Tensor): Tensor {
  const rows: Tensor[] = [];
  for (let j = 0; j < weights.shape[0]!; j++) rows.push(weights.select(0, j).unsqueeze(0).matmul(values).squeeze(0));
  return stack(rows);
}`,
    );
    const island = ex.locator('.exercise-island');
    await ex.getByRole('button', { name: '✓ Check' }).click();
    await expect(island).toHaveAttribute('data-checks', '1', { timeout: 45_000 });
    await expect(island).toHaveAttribute('data-phase', 'idle');
    const visible = exercises.find((e) => e.id === 'attention-pooling/attention-pool')!;
    const shown = testNames(visible.visibleTests).length;
    await expect(ex.locator('.exercise-results')).toContainText(`Passed — all ${shown} tests on this page. Your instructor runs more tests when grading.`);
    await expect(ex.locator('.exercise-tests li')).toHaveCount(shown);
    expect(problems).toEqual([]);
  });
});
