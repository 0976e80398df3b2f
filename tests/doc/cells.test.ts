// Doc-tests: every code cell in the book runs here, page by page, in order, in one session per
// page — the way a reader who presses Run on each cell would run them. A cell that throws, or
// takes longer than its declared time limit, fails.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { extractCells } from '../../src/components/cell/code-cells-mdx.ts';
import { runCell, type Session } from '../../src/runtime/execute.ts';
import { captureConsole } from '../../src/runtime/output.ts';
import type { OutputPart, PlotSpec } from '../../src/runtime/protocol.ts';
import { readShippedFromDisk } from '../../src/runtime/read-shipped-node.ts';

const docsDir = new URL('../../src/content/docs/', import.meta.url).pathname;
const claimsDir = new URL('./claims/', import.meta.url).pathname;

function mdxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? mdxFiles(join(dir, e.name)) : e.name.endsWith('.mdx') ? [join(dir, e.name)] : [],
  );
}

const pages = mdxFiles(docsDir)
  .map((file) => ({ file: relative(docsDir, file), cells: extractCells(readFileSync(file, 'utf8'), file) }))
  .filter((p) => p.cells.length > 0);

test('the book has code cells', () => {
  expect(pages.length).toBeGreaterThan(0);
});

describe.each(pages)('$file', ({ file, cells }) => {
  const session: Session = new Map();
  test.each(cells)('cell "$id" runs', async (cell) => {
    const lines: string[] = [];
    const plots: PlotSpec[] = [];
    const text = (parts: OutputPart[]) => parts.map((p) => (p.kind === 'value' ? p.preview : p.text)).join(' ');
    const out = captureConsole((level, parts) => lines.push(`${level}: ${text(parts)}`), { limit: 10_000 });
    const started = performance.now();
    const result = await runCell(cell.code, {
      cellId: cell.id,
      session,
      console: out.console,
      host: { plot: (spec) => out.inOrder(spec, (s) => plots.push(s)), view: (v) => out.inOrder(v, () => {}), progress: () => {}, readShipped: readShippedFromDisk },
    });
    await out.flush();
    const seconds = (performance.now() - started) / 1000;
    if (!result.ok) {
      const e = result.error;
      throw new Error(`cell "${cell.id}" (source line ${cell.line + (e.line ?? 0)}) failed: ${e.name}: ${e.message}\n${lines.join('\n')}`);
    }
    expect(seconds, `cell "${cell.id}" took ${seconds.toFixed(1)} s, over its limit of ${cell.timeout} s`).toBeLessThanOrEqual(cell.timeout);
    expect(lines.filter((l) => l.startsWith('error:')), 'console.error output').toEqual([]);
  });
  // The numbers a page's prose states, checked against what its cells exported (tests/doc/claims/<page>.ts).
  const claims = join(claimsDir, file.replace(/\.mdx$/, '.ts'));
  if (existsSync(claims)) {
    test('the numbers its prose states', async () => {
      const { default: check } = (await import(claims)) as { default: (session: Session) => void | Promise<void> };
      await check(session);
    });
  }
});
