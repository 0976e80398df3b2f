// How the editor's TypeScript checks a cell: like the cell runtime runs it. Plain data (numeric
// TypeScript enum values, since Monaco's own enums stop at ES2020 / NodeJs), shared by the editor
// and the Node test that type-checks cells against the engine's generated declarations.
export const CELL_COMPILER_OPTIONS = {
  strict: true,
  target: 9, // ES2022
  module: 99, // ESNext
  moduleResolution: 100, // Bundler
  // Every cell is a module, even one with no import: top-level await works, and `const x` in two
  // cells does not clash.
  moduleDetection: 3, // Force
  // Cells run in a Web Worker: ECMAScript, `using`, and worker globals (console, timers) — no DOM.
  // Full file names: TypeScript's API (unlike tsconfig) does not expand 'es2022' itself.
  lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.webworker.d.ts'],
  types: [] as string[],
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  isolatedModules: true,
};

/** Where the engine's declarations live in the editor's virtual file system. */
export const LIB_ROOT = 'file:///node_modules/attention-lab/';

/** The entry TypeScript resolves `'attention-lab'` to, next to the generated files. */
export const LIB_INDEX = "export * from './runtime/book-module.js';\n";
