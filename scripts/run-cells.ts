// Runs the code cells of one chapter in Node, in order, in one session, and prints what each
// printed — the quickest way for an author to try a page's code. The doc-tests do the same, silently.
// Usage: source scripts/setup.sh && node --experimental-transform-types scripts/run-cells.ts src/content/docs/<page>.mdx [cell-id]
import { readFileSync } from 'node:fs';
import { extractCells } from '../src/components/cell/code-cells-mdx.ts';
import { runCell, type Session } from '../src/runtime/execute.ts';
import { captureConsole } from '../src/runtime/output.ts';
import { readShippedFromDisk } from '../src/runtime/read-shipped-node.ts';

const [file, only] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/run-cells.ts <page.mdx> [last-cell-id]');
  process.exit(2);
}
const session: Session = new Map();
for (const cell of extractCells(readFileSync(file, 'utf8'), file)) {
  console.log(`\n── cell "${cell.id}" (line ${cell.line}) ──`);
  const out = captureConsole(
    (level, parts) => console.log((level === 'log' ? '' : `${level}: `) + parts.map((p) => (p.kind === 'value' ? p.preview : p.text)).join(' ')),
    { limit: 200 },
  );
  const started = performance.now();
  const result = await runCell(cell.code, {
    cellId: cell.id,
    session,
    console: out.console,
    host: {
      plot: (spec) => out.inOrder(spec, (s) => console.log(`[figure: ${s.mark}${s.title ? ` "${s.title}"` : ''}, ${s.rows.length} points]`)),
      progress: (done, total, label) => done === total && console.log(`[progress ${done}/${total}${label ? ` ${label}` : ''}]`),
      readShipped: readShippedFromDisk,
      view: (view) =>
        out.inOrder(view, (v) =>
          console.log(v.view === 'attention' ? `[attention viewer: ${v.groups.map((g) => `${g.kind} ${g.maps.layers}×${g.maps.heads} maps ${g.maps.rows}×${g.maps.cols}`).join('; ')}]` : `[next-token view: ${v.tokens.length} tokens, top "${v.tokens[0]}"]`),
        ),
    },
  });
  await out.flush();
  const ms = (performance.now() - started).toFixed(0);
  console.log(result.ok ? `✓ ${ms} ms` : `✗ ${result.error.name} (line ${result.error.line ?? '?'}): ${result.error.message}`);
  if (cell.id === only) break;
}
