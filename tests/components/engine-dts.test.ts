// The editor's declarations for 'attention-lab' come from the engine's sources at build time.
// Type-checking cells here, with the editor's own compiler options, shows what a reader would see.
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateEngineDts, rewriteTsSpecifiers } from '../../scripts/engine-dts.mjs';
import { CELL_COMPILER_OPTIONS, LIB_INDEX } from '../../src/components/cell/cell-compiler-options.ts';
import { sessionDeclarations } from '../../src/components/cell/session-types.ts';

let files: Record<string, string>;

// Emitting declarations type-checks the whole engine: seconds, more on a busy machine.
beforeAll(() => {
  files = generateEngineDts(path.resolve(import.meta.dirname, '../..')).files;
}, 180_000);

const VIRTUAL = '/virtual';

/** Semantic + syntactic errors of cell files, checked as the editor checks them. */
function cellErrors(cells: Record<string, string>, extra: Record<string, string> = {}): Record<string, string[]> {
  const virtual = new Map<string, string>();
  for (const [p, text] of Object.entries(files)) virtual.set(`${VIRTUAL}/node_modules/attention-lab/${p}`, text);
  virtual.set(`${VIRTUAL}/node_modules/attention-lab/index.d.ts`, LIB_INDEX);
  for (const [p, text] of Object.entries({ ...cells, ...extra })) virtual.set(`${VIRTUAL}/cells/page/${p}`, text);
  const options = CELL_COMPILER_OPTIONS as unknown as ts.CompilerOptions;
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (f) => virtual.has(f) || (!f.startsWith(VIRTUAL) && fileExists(f));
  host.readFile = (f) => virtual.get(f) ?? (f.startsWith(VIRTUAL) ? undefined : readFile(f));
  host.directoryExists = (d) => d.startsWith(VIRTUAL) || (directoryExists?.(d) ?? true);
  host.getSourceFile = (f, lang, ...rest) =>
    virtual.has(f) ? ts.createSourceFile(f, virtual.get(f)!, lang) : getSourceFile(f, lang, ...rest);
  const roots = [...Object.keys(cells), ...Object.keys(extra)].map((p) => `${VIRTUAL}/cells/page/${p}`);
  const program = ts.createProgram(roots, options, host);
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(cells)) {
    const sf = program.getSourceFile(`${VIRTUAL}/cells/page/${name}`)!;
    out[name] = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map(
      (d) => `${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
  }
  return out;
}

describe('engine declarations (scripts/engine-dts.mjs)', () => {
  it('emits the book module, the engine and the cell API', () => {
    expect(files['runtime/book-module.d.ts']).toContain("export * from '../engine/index.js'");
    expect(files['engine/index.d.ts']).toBeDefined();
    expect(files['runtime/cell-api.d.ts']).toBeDefined();
    const all = Object.values(files).join('\n');
    expect(all).toMatch(/export declare function tensor\(/);
    expect(all).toMatch(/export declare class Tensor/);
  });

  it('drops @internal helpers the runtime uses', () => {
    expect(files['runtime/cell-api.d.ts']).not.toContain('setCellHost');
  });

  it('rewrites only relative .ts specifiers to .js', () => {
    const text = "import { a } from './a.ts';\nexport * from \"../b/c.ts\";\ntype T = import('./t.ts').T;\nimport x from 'pkg.ts';";
    expect(rewriteTsSpecifiers(text)).toBe(
      "import { a } from './a.js';\nexport * from \"../b/c.js\";\ntype T = import('./t.js').T;\nimport x from 'pkg.ts';",
    );
  });
});

describe('a cell, type-checked like the editor does', () => {
  it('accepts a plain book cell with top-level await and console', () => {
    const { 'a.ts': errors } = cellErrors({
      'a.ts': [
        "import { tensor, softmax } from 'attention-lab';",
        'const t = tensor([1, 2, 3]);',
        'const p = softmax(t, -1);',
        'console.log(await p.sum().item());',
        'using u = tensor([0]);',
      ].join('\n'),
    });
    expect(errors).toEqual([]);
  });

  it('reports an unknown tensor method and DOM globals', () => {
    const { 'a.ts': errors } = cellErrors({
      'a.ts': "import { tensor } from 'attention-lab';\nconst t = tensor([1, 2, 3]);\nt.notAMethod();\ndocument.body;\n",
    });
    expect(errors.some((e) => e.includes("'notAMethod'"))).toBe(true);
    expect(errors.some((e) => e.includes("'document'"))).toBe(true);
  });

  it('two cells may both declare the same top-level name', () => {
    const errors = cellErrors({ 'a.ts': 'const x = 1;\nconsole.log(x);', 'b.ts': 'const x = 2;\nconsole.log(x);' });
    expect(errors).toEqual({ 'a.ts': [], 'b.ts': [] });
  });

  it("sees earlier cells' exports through the page's session declarations", () => {
    const a = "import { tensor } from 'attention-lab';\nexport const weights = tensor([[1, 2], [3, 4]]);\nexport type Pair = [number, number];";
    const b = 'const w = weights.transpose(0, 1);\nconst p: Pair = [1, 2];\nconsole.log(w, p);';
    const session = sessionDeclarations([
      { modelUri: 'file:///cells/page/a.ts', code: a },
      { modelUri: 'file:///cells/page/b.ts', code: b },
    ]);
    const errors = cellErrors({ 'a.ts': a, 'b.ts': b }, { '__session.d.ts': session });
    expect(errors).toEqual({ 'a.ts': [], 'b.ts': [] });
  });
});
