// Adds up the suites' reports written by scripts/test.sh and prints `N passed, N failed`.
// Exits non-zero when anything failed or a suite left no report (it crashed or never ran).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const rows = [];
const readJson = (name) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : null);
const readFlag = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').trim() : null);

for (const [suite, file] of [['type check', 'typecheck'], ['build', 'build']]) {
  const flag = readFlag(file);
  rows.push({ suite, passed: flag === 'pass' ? 1 : 0, failed: flag === 'pass' ? 0 : 1, note: flag ?? 'did not run' });
}

const vitest = readJson('vitest.json');
rows.push(
  vitest
    ? {
        suite: 'unit (vitest)',
        passed: vitest.numPassedTests,
        // A test file that fails to load has no tests but is still a failure.
        failed: vitest.numFailedTests + vitest.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length,
        skipped: vitest.numPendingTests + vitest.numTodoTests,
      }
    : { suite: 'unit (vitest)', passed: 0, failed: 1, note: 'no report' },
);

const e2e = readJson('e2e.json');
rows.push(
  e2e
    ? {
        suite: 'end-to-end (playwright)',
        passed: e2e.stats.expected + e2e.stats.flaky,
        failed: e2e.stats.unexpected + (e2e.errors?.length ?? 0),
        skipped: e2e.stats.skipped,
      }
    : { suite: 'end-to-end (playwright)', passed: 0, failed: 1, note: 'no report' },
);

console.log('\nSuite                      passed  failed  skipped');
for (const r of rows) {
  console.log(`${r.suite.padEnd(26)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped ?? 0).padStart(7)}${r.note && r.note !== 'pass' ? `  (${r.note})` : ''}`);
}
const passed = rows.reduce((n, r) => n + r.passed, 0);
const failed = rows.reduce((n, r) => n + r.failed, 0);
const skipped = rows.reduce((n, r) => n + (r.skipped ?? 0), 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
