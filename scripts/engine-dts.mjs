// Type declarations of the book's one import specifier, 'attention-lab', for the in-page editor.
// The TypeScript compiler emits .d.ts text for src/runtime/book-module.ts and everything it
// imports (engine + cell helpers), in memory, from the sources as they are now. A Vite plugin
// serves the result as `virtual:attention-lab-dts`, so `astro dev` and `astro build` always ship
// the engine's real declarations and nothing generated is ever committed (or stale).
import { existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const VIRTUAL_ID = 'virtual:attention-lab-dts';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

/** Where the module's entry lives, relative to the project root. */
export const ENTRY = 'src/runtime/book-module.ts';

const COMPILER_OPTIONS = {
  declaration: true,
  emitDeclarationOnly: true,
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  // Half-written engine code still yields declarations for everything that does type-check.
  noEmitOnError: false,
  lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.webworker.d.ts'],
  types: [],
  stripInternal: true,
};

/**
 * Emit declarations for the entry and its whole import graph.
 * Keys are paths relative to `src/` with POSIX separators (`engine/index.d.ts`); relative import
 * specifiers that end in `.ts` are rewritten to `.js` so any TypeScript resolves them to the
 * emitted `.d.ts` siblings. `sources` lists the absolute source files read (for watching).
 */
export function generateEngineDts(root = process.cwd()) {
  const srcDir = path.join(root, 'src');
  const entry = path.join(root, ENTRY);
  const files = {};
  if (!existsSync(entry)) return { files, sources: [], diagnostics: [`missing ${ENTRY}`] };

  const options = { ...COMPILER_OPTIONS, rootDir: srcDir, outDir: path.join(root, '.dts-out') };
  const program = ts.createProgram({ rootNames: [entry], options });
  const outDir = options.outDir;
  program.emit(
    undefined,
    (fileName, text) => {
      if (!fileName.endsWith('.d.ts')) return;
      const key = path.relative(outDir, fileName).split(path.sep).join('/');
      if (key.startsWith('..')) return;
      files[key] = rewriteTsSpecifiers(text);
    },
    undefined,
    true,
  );
  const sources = program
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => !f.includes('/node_modules/') && path.resolve(f).startsWith(srcDir));
  // Only errors in our own sources are worth a line in the build log.
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && !d.file.fileName.includes('/node_modules/'))
    .slice(0, 5)
    .map((d) => {
      const where = d.file ? `${path.relative(root, d.file.fileName)}` : '';
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  return { files, sources: sources.map((f) => path.resolve(f)), diagnostics };
}

/** `from './x.ts'` → `from './x.js'` (also `import('./x.ts')`), only for relative specifiers. */
export function rewriteTsSpecifiers(text) {
  return text.replace(
    /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.(m|c)?ts\2/g,
    (_m, head, quote, spec, kind) => `${head}${quote}${spec}.${kind ?? ''}js${quote}`,
  );
}

/** Vite plugin: `import { files } from 'virtual:attention-lab-dts'`. */
export function engineDtsPlugin() {
  let root = process.cwd();
  return {
    name: 'attention-lab-engine-dts',
    configResolved(config) {
      root = config.root ? path.resolve(config.root) : root;
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const { files, sources, diagnostics } = generateEngineDts(root);
      // Any edit to the engine or the cell API invalidates the module (dev reload, build watch).
      for (const file of sources) this.addWatchFile(file);
      if (diagnostics.length) {
        this.warn(`engine declarations emitted despite type errors (first: ${diagnostics[0]})`);
      }
      return `export const files = ${JSON.stringify(files)};\n`;
    },
  };
}
