import { afterEach, describe, expect, it, vi } from 'vitest';
import { allEdits, cellKey, clearEdit, hashText, loadEdit, saveEdit } from '../../src/components/cell/saved-edits.ts';

describe('hashText (cyrb53)', () => {
  it("matches the published cyrb53 reference values", () => {
    // Values from the algorithm author's examples (bryc, "cyrb53"), as decimal 53-bit integers.
    expect(parseInt(hashText('a'), 16)).toBe(7929297801672961);
    expect(parseInt(hashText('b'), 16)).toBe(8684336938537663);
    expect(parseInt(hashText('revenge'), 16)).toBe(4051478007546757);
    expect(parseInt(hashText('revenue'), 16)).toBe(8309097637345594);
  });

  it('is fixed-width hex and sensitive to one character', () => {
    const a = hashText('const x = tensor([1, 2, 3]);');
    const b = hashText('const x = tensor([1, 2, 4]);');
    expect(a).toMatch(/^[0-9a-f]{14}$/);
    expect(a).not.toBe(b);
    expect(hashText('')).toMatch(/^[0-9a-f]{14}$/);
  });
});

describe('cellKey', () => {
  it('names a cell by page path and id, whatever form the path takes', () => {
    expect(cellKey('/attention/', 'softmax')).toBe('/attention#softmax');
    expect(cellKey('/attention', 'softmax')).toBe('/attention#softmax');
    expect(cellKey('/attention/index.html', 'softmax')).toBe('/attention#softmax');
    expect(cellKey('/attention/?x=1#top', 'softmax')).toBe('/attention#softmax');
    expect(cellKey('/', 'intro')).toBe('/#intro');
    expect(cellKey('/rnn/', 'a')).not.toBe(cellKey('/rnn/', 'b'));
  });
});

describe('without IndexedDB (Node, private windows)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never throws, saves nothing and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await expect(saveEdit('/p#c', 'new', 'old')).resolves.toBeUndefined();
    await expect(loadEdit('/p#c')).resolves.toBeUndefined();
    await expect(clearEdit('/p#c')).resolves.toBeUndefined();
    await expect(allEdits()).resolves.toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
