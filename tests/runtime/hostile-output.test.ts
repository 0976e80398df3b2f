// What the cell runtime does with output, errors and timers a careless or curious program makes:
// bounded before it leaves the worker, explained in plain words, attributed to the right cell.
import { describe, expect, test } from 'vitest';
import { MAX_MARKS, MAX_TEXT_CHARS, boundPlot, cutText, shownValueCount } from '../../src/runtime/bound-output.ts';
import { captureConsole, toOutputPart } from '../../src/runtime/output.ts';
import { explainError } from '../../src/runtime/explain-error.ts';
import { lockDown } from '../../src/runtime/lockdown.ts';
import { installTimers } from '../../src/runtime/background.ts';
import { watchEngine } from '../../src/runtime/engine-changes.ts';
import { applyOutput } from '../../src/components/cell/use-run-output.ts';
import * as bookModule from '../../src/runtime/book-module.ts';
import { ones, zeros, Tensor } from '../../src/engine/index.ts';
import type { OutputPart, PlotSpec } from '../../src/runtime/protocol.ts';

describe('output is bounded in the worker', () => {
  test('a 50-million-character line is cut, saying how much was left out', async () => {
    const part = await toOutputPart('x'.repeat(50_000_000));
    expect(part.kind).toBe('text');
    const text = (part as { text: string }).text;
    expect(text.length).toBeLessThan(MAX_TEXT_CHARS + 100);
    expect(text).toContain(`… ${(50_000_000 - MAX_TEXT_CHARS).toLocaleString('en')} more characters`);
    expect(cutText('short')).toBe('short');
  });

  test('a tensor whose print would show millions of values is described, not formatted', async () => {
    expect(shownValueCount([1000, 1000], { threshold: 1000, edgeitems: 3 })).toBe(36);
    expect(shownValueCount(Array(24).fill(2), { threshold: 1000, edgeitems: 3 })).toBe(2 ** 24);
    const t = zeros(Array(22).fill(2));
    const part = await toOutputPart(t);
    expect(part.kind).toBe('tensor');
    expect((part as { text: string }).text).toMatch(/^Tensor\[2, 2, .*\] float32: 4,194,304 values, too many to print/);
    // An ordinary tensor still prints like PyTorch.
    expect(((await toOutputPart(ones([2]))) as { text: string }).text).toBe('tensor([1., 1.])');
  });

  test('a huge array becomes a short preview and a small tree', async () => {
    const part = await toOutputPart(Array.from({ length: 1_000_000 }, (_, i) => [i, [i, [i, [i]]]]));
    expect(part.kind).toBe('value');
    expect(JSON.stringify(part).length).toBeLessThan(200_000);
  });

  test('a flood of console calls is counted, and a run has a character budget', async () => {
    const lines: OutputPart[][] = [];
    let dropped = 0;
    const out = captureConsole((_, parts) => lines.push(parts), { limit: 1000, maxChars: 100_000, onDropped: (n) => (dropped = n) });
    for (let i = 0; i < 100_000; i++) out.console.log('y'.repeat(5000));
    await out.flush();
    expect(lines.length).toBe(20);
    expect(dropped).toBe(100_000 - 20);
  });

  test('a million-point scatter is thinned, with a note saying so', () => {
    const rows = Array.from({ length: 1_000_000 }, (_, i) => ({ x: i, y: Math.sin(i), series: '' }));
    const spec = boundPlot({ mark: 'scatter', rows });
    expect(spec.rows.length).toBeLessThanOrEqual(MAX_MARKS.scatter);
    expect(spec.note).toMatch(/^Showing 2,000 points of 1,000,000 \(one in 500\)/);
  });

  test('a long line keeps its lowest and highest points', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ x: i, y: i === 77_777 ? 1000 : i === 12_345 ? -1000 : 0, series: '' }));
    const spec = boundPlot({ mark: 'line', rows });
    expect(spec.rows.length).toBeLessThanOrEqual(MAX_MARKS.line);
    expect(spec.rows.map((r) => r.y)).toContain(1000);
    expect(spec.rows.map((r) => r.y)).toContain(-1000);
    const xs = spec.rows.map((r) => Number(r.x));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  test('a big heatmap is averaged over blocks', () => {
    const rows: PlotSpec['rows'] = [];
    for (let r = 0; r < 300; r++) for (let c = 0; c < 300; c++) rows.push({ row: r, col: c, value: r < 150 ? 1 : 0 });
    const spec = boundPlot({ mark: 'heatmap', rows });
    expect(spec.rows.length).toBeLessThanOrEqual(MAX_MARKS.heatmap);
    expect(spec.note).toContain('300×300 matrix');
    expect(spec.rows[0]!.value).toBe(1);
    expect(spec.rowLabels![1]).toBe('5');
  });

  test('redraws of one figure in a batch replace it in place', () => {
    const spec = (id: string, n: number): PlotSpec => ({ mark: 'line', rows: [{ x: n, y: n }], id });
    let key = 0;
    const items = applyOutput([], [{ kind: 'plot', spec: spec('loss', 1) }, { kind: 'console', level: 'log', parts: [] }, { kind: 'plot', spec: spec('loss', 2) }], () => `k${key++}`);
    expect(items.map((i) => i.kind)).toEqual(['plot', 'console']);
    expect((items[0] as { spec: PlotSpec }).spec.rows[0]!.x).toBe(2);
  });
});

describe('errors say what happened', () => {
  test('a thrown non-Error is shown as a console would show it', () => {
    expect(explainError({ message: 42 })).toMatchObject({ name: 'Uncaught', message: '{message: 42}' });
    expect(explainError('oops')).toMatchObject({ name: 'Uncaught', message: 'oops' });
    const hostile = new Proxy({}, { get() { throw new Error('no'); }, ownKeys() { throw new Error('no'); } });
    expect(explainError(hostile).name).toBe('Uncaught');
  });

  test('browser built-ins missing from the worker get their own hint', () => {
    expect(explainError(new ReferenceError('document is not defined')).hint).toContain('Web Worker');
    expect(explainError(new ReferenceError('SharedArrayBuffer is not defined')).hint).toContain('cross-origin-isolated');
    expect(explainError(new ReferenceError('Worker is not defined')).hint).toContain('storage');
    expect(explainError(new ReferenceError('scores is not defined')).hint).toContain('Run all above');
  });
});

describe('lockdown', () => {
  test('withheld names are deleted from the whole prototype chain, and close() explains itself', () => {
    const proto = { indexedDB: {}, caches: {} };
    const scope = Object.create(proto) as Record<string, unknown>;
    Object.assign(scope, { Worker: class {}, BroadcastChannel: class {}, close() {}, navigator: Object.create({ storage: {} }) });
    lockDown(scope);
    for (const name of ['indexedDB', 'caches', 'Worker', 'BroadcastChannel']) expect(scope[name]).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(proto, 'indexedDB')).toBeUndefined();
    expect((scope.navigator as { storage?: unknown }).storage).toBeUndefined();
    expect(() => (scope.close as () => void)()).toThrow(/Stop/);
  });
});

describe('timers belong to the cell that set them', () => {
  function fakeScope() {
    return { setTimeout, clearTimeout, setInterval, clearInterval } as unknown as Record<string, unknown>;
  }

  test('a cell waits for its timeouts; an error thrown in one is that cell\'s', async () => {
    const scope = fakeScope();
    const late: unknown[] = [];
    const timers = installTimers(scope, (_, e) => late.push(e));
    const run = timers.begin();
    let fired = false;
    (scope.setTimeout as typeof setTimeout)(() => (fired = true), 30);
    (scope.setTimeout as typeof setTimeout)(() => {
      throw new Error('boom');
    }, 60);
    await timers.whenQuiet(run);
    expect(fired).toBe(true);
    expect((run.uncaught?.error as Error).message).toBe('boom');
    expect(timers.end(run)).toBe(0);
    expect(late).toEqual([]);
  });

  test('intervals are cancelled when the cell ends; what fails later is reported on it', async () => {
    const scope = fakeScope();
    const late: unknown[] = [];
    const timers = installTimers(scope, (_, e) => late.push(e));
    const run = timers.begin();
    let ticks = 0;
    (scope.setInterval as typeof setInterval)(() => ticks++, 5);
    await timers.whenQuiet(run);
    expect(timers.end(run)).toBe(1);
    const after = ticks;
    await new Promise((r) => setTimeout(r, 40));
    expect(ticks).toBe(after);
    timers.uncaught(new Error('later'), 'a promise nobody awaited');
    expect((late[0] as Error).message).toBe('later');
  });
});

describe('engine changes', () => {
  test('a cell that replaces a Tensor method is named in later failures', () => {
    const watch = watchEngine(bookModule as unknown as Record<string, unknown>);
    expect(watch.check('clean')).toEqual([]);
    const original = Tensor.prototype.reshape;
    try {
      Tensor.prototype.reshape = function (this: Tensor) {
        return this;
      } as typeof original;
      expect(watch.check('patch')).toContain('Tensor.prototype.reshape');
      expect(watch.hintFor('later')).toMatch(/earlier cell \("patch"\) changed the engine.*Tensor\.prototype\.reshape.*Restart session/);
      expect(watch.hintFor('patch')).toBeUndefined();
    } finally {
      Tensor.prototype.reshape = original;
    }
  });
});
