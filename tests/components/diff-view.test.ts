import { describe, expect, it } from 'vitest';
import { lineDiff, linesChanged } from '../../src/components/cell/diff-view.ts';

describe('lineDiff', () => {
  it('marks removed and added lines with their line numbers in each version', () => {
    const before = 'a\nb\nc\n';
    const after = 'a\nB\nc\nd\n';
    expect(lineDiff(before, after)).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'b', oldLine: 2 },
      { kind: 'added', text: 'B', newLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 3 },
      { kind: 'added', text: 'd', newLine: 4 },
    ]);
  });

  it('ignores CRLF and a missing final newline', () => {
    expect(lineDiff('a\r\nb', 'a\nb\n').every((r) => r.kind === 'same')).toBe(true);
    expect(linesChanged('a\r\nb', 'a\nb\n')).toBe(0);
  });

  it('folds long unchanged stretches, keeping two lines of context', () => {
    const before = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const rows = lineDiff(before, after);
    expect(rows[0]).toEqual({ kind: 'skipped', text: '7 unchanged lines' });
    expect(rows.slice(1).map((r) => r.kind)).toEqual(['same', 'same', 'removed', 'added', 'same', 'same']);
  });

  it('keeps empty lines as rows', () => {
    expect(lineDiff('a\n\nb', 'a\n\nc').map((r) => r.text)).toEqual(['a', '', 'b', 'c']);
  });
});

describe('linesChanged', () => {
  it('counts an edited line once, and pure additions or removals by their length', () => {
    expect(linesChanged('a\nb\nc', 'a\nB\nc')).toBe(1);
    expect(linesChanged('a\nb', 'a\nb\nc\nd')).toBe(2);
    expect(linesChanged('a\nb\nc', 'a')).toBe(2);
    expect(linesChanged('x\ny\nz', 'x\ny\nz')).toBe(0);
    // Two separate edits.
    expect(linesChanged('1\n2\n3\n4\n5', 'one\n2\n3\n4\nfive')).toBe(2);
  });
});
