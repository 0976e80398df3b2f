// "The book's code changed since you edited it": a unified line diff between the code a reader's
// edit started from and the book's code now. lineDiff() is pure (tested in Node); renderLineDiff()
// only turns its records into DOM. Added and removed lines differ by colour, by a +/- sign and by
// <ins>/<del> semantics, so the difference never rests on colour alone.
import { diffLines } from 'diff';

export type DiffLineKind = 'added' | 'removed' | 'same' | 'skipped';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its newline; for 'skipped', a note such as "4 unchanged lines". */
  text: string;
  /** 1-based line in `before` (removed and same lines). */
  oldLine?: number;
  /** 1-based line in `after` (added and same lines). */
  newLine?: number;
}

/** Unchanged lines kept around each change; longer unchanged runs fold into one 'skipped' row. */
const CONTEXT = 2;

function splitLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The full line-by-line diff, then long unchanged stretches folded. */
export function lineDiff(before: string, after: string, context = CONTEXT): DiffLine[] {
  const rows: DiffLine[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffLines(normalize(before), normalize(after))) {
    for (const text of splitLines(part.value)) {
      if (part.added) rows.push({ kind: 'added', text, newLine: newLine++ });
      else if (part.removed) rows.push({ kind: 'removed', text, oldLine: oldLine++ });
      else rows.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return foldUnchanged(rows, context);
}

function foldUnchanged(rows: DiffLine[], context: number): DiffLine[] {
  // With no change at all there is nothing to point at: show the code as it is.
  if (rows.every((r) => r.kind === 'same')) return rows;
  const keep = rows.map((r) => r.kind !== 'same');
  rows.forEach((r, i) => {
    if (r.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) keep[j] = true;
  });
  const out: DiffLine[] = [];
  for (let i = 0; i < rows.length; ) {
    if (keep[i]) {
      out.push(rows[i]!);
      i++;
      continue;
    }
    let end = i;
    while (end < rows.length && !keep[end]) end++;
    const count = end - i;
    // Folding a single line saves nothing.
    if (count === 1) out.push(rows[i]!);
    else out.push({ kind: 'skipped', text: `${count} unchanged lines` });
    i = end;
  }
  return out;
}

/** Windows line endings and a missing final newline are not changes a reader cares about. */
function normalize(text: string): string {
  const unix = text.replace(/\r\n?/g, '\n');
  return unix.endsWith('\n') ? unix : unix + '\n';
}

/** How many lines changed: per block of changes, the larger of lines removed and lines added. */
export function linesChanged(before: string, after: string): number {
  let changed = 0;
  let removed = 0;
  let added = 0;
  for (const part of diffLines(normalize(before), normalize(after))) {
    const n = part.count ?? splitLines(part.value).length;
    if (part.added) added += n;
    else if (part.removed) removed += n;
    else {
      changed += Math.max(removed, added);
      removed = added = 0;
    }
  }
  return changed + Math.max(removed, added);
}

const SIGN: Record<DiffLineKind, string> = { added: '+', removed: '-', same: ' ', skipped: '⋯' };
const LABEL: Record<DiffLineKind, string> = { added: 'added: ', removed: 'removed: ', same: '', skipped: '' };

const LINE_STYLE: Record<DiffLineKind, string> = {
  // Starlight's -low/-high pairs swap in dark mode, so both themes keep strong contrast.
  added: 'background:var(--sl-color-green-low,#d4f5dc);color:var(--sl-color-green-high,#0b4d1f);',
  removed: 'background:var(--sl-color-red-low,#fbe0e0);color:var(--sl-color-red-high,#7a1111);',
  same: 'color:var(--sl-color-gray-2,#333);',
  skipped: 'color:var(--sl-color-gray-3,#555);font-style:italic;',
};

/** A unified diff as a block of monospace lines: `-` removed, `+` added, `⋯` folded. */
export function renderLineDiff(before: string, after: string): HTMLElement {
  const figure = document.createElement('div');
  // not-content: Starlight's prose spacing (margins between sibling blocks) must not split lines.
  figure.className = 'al-line-diff not-content';
  figure.setAttribute('role', 'group');
  figure.setAttribute('aria-label', 'Changes to the book’s code since your edit');
  figure.style.cssText =
    'font-family:var(--sl-font-mono,ui-monospace,monospace);font-size:var(--sl-text-code,0.875rem);' +
    'line-height:1.5;white-space:pre;overflow-x:auto;border:1px solid var(--sl-color-gray-5,#ccc);' +
    'border-radius:0.25rem;padding:0.25rem 0;margin:0;tab-size:2;';
  for (const row of lineDiff(before, after)) {
    const tag = row.kind === 'added' ? 'ins' : row.kind === 'removed' ? 'del' : 'div';
    const line = document.createElement(tag);
    line.className = `al-line-diff-${row.kind}`;
    line.style.cssText = `display:block;text-decoration:none;padding:0 0.75rem;${LINE_STYLE[row.kind]}`;
    const sign = document.createElement('span');
    sign.setAttribute('aria-hidden', 'true');
    sign.style.cssText = 'display:inline-block;width:1.5ch;user-select:none;font-weight:bold;';
    sign.textContent = SIGN[row.kind];
    line.append(sign);
    if (LABEL[row.kind]) {
      // Read by screen readers instead of the sign.
      const label = document.createElement('span');
      label.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;';
      label.textContent = LABEL[row.kind];
      line.append(label);
    }
    line.append(document.createTextNode(row.text || ' '));
    figure.append(line);
  }
  return figure;
}
