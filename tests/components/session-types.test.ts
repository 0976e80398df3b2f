import { describe, expect, it } from 'vitest';
import { exportedNames, sessionDeclarations } from '../../src/components/cell/session-types.ts';

describe('exportedNames', () => {
  it('finds exported values and types the way the runtime session collects them', () => {
    const code = [
      "import { tensor } from 'attention-lab';",
      '// export const notReal = 1;',
      'export const w = tensor([1]);',
      'export let step = 0;',
      'export async function train() {}',
      'export class Model {}',
      'export interface Config { d: number }',
      'export type Shape = number[];',
      'const a = 1, b = 2;',
      'export { a, b as beta, type Shape as S };',
      "const s = 'export const inString = 1';",
    ].join('\n');
    const { values, types } = exportedNames(code);
    expect(values.sort()).toEqual(['Model', 'a', 'beta', 'step', 'train', 'w']);
    expect(types.sort()).toEqual(['Config', 'Model', 'S', 'Shape']);
  });

  it('finds nothing in a cell without exports', () => {
    expect(exportedNames('const x = 1;\nconsole.log(x);')).toEqual({ values: [], types: [] });
  });
});

describe('sessionDeclarations', () => {
  it('declares each name once, typed from the last cell that exports it', () => {
    const text = sessionDeclarations([
      { modelUri: 'file:///cells/p/a.ts', code: 'export const x = 1;' },
      { modelUri: 'file:///cells/p/b.ts', code: 'export const x = "two";\nexport type T = string;' },
    ]);
    expect(text).toContain('declare global {');
    expect(text).toContain('const x: typeof import("./b.ts").x;');
    expect(text).not.toContain('./a.ts');
    expect(text).toContain('type T = import("./b.ts").T;');
  });
});
