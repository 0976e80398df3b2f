// One-time Monaco set-up for the whole page: workers, the TypeScript service configured like the
// cell runtime (strict, ES2022 modules, top-level await, worker globals, no DOM), the engine's
// real declarations behind 'attention-lab', and a theme that follows Starlight's.
// Loaded only through editor.ts, which the code cell imports on first interaction.
import * as monaco from 'monaco-editor/editor';
import { typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import 'monaco-editor/languages/definitions/typescript/register';
// Every editor contribution, registered before the first editor is created. Subsetting saves
// nothing: the TypeScript mode (tsMode) imports the same contributions when it loads, and any
// registered after an editor exists never attach to it (the first cell would lack suggestions).
// Features a cell does not want are switched off in the editor options instead.
import 'monaco-editor/features/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import { files as engineDeclarations } from 'virtual:attention-lab-dts';
import { CELL_COMPILER_OPTIONS, LIB_INDEX, LIB_ROOT } from './cell-compiler-options.ts';
// Monaco's ESM modules import their CSS piece by piece, and Astro's client build drops CSS that is
// only reached through an island's dynamic import. The prebuilt stylesheet of the same version is
// complete (icon font inlined); it is injected when the editor first loads.
// (The package's exports map only exposes esm/, hence the path into node_modules.)
import monacoStyles from '../../../node_modules/monaco-editor/min/vs/editor/editor.main.css?inline';

export { monaco, typescriptDefaults };

let configured = false;

export function setUpMonaco(): typeof monaco {
  if (configured) return monaco;
  configured = true;

  const style = document.createElement('style');
  style.dataset.monaco = '';
  style.textContent = monacoStyles;
  document.head.append(style);

  (self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      return label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker();
    },
  };

  typescriptDefaults.setCompilerOptions(CELL_COMPILER_OPTIONS as Parameters<typeof typescriptDefaults.setCompilerOptions>[0]);
  typescriptDefaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
    // Session cells (earlier cells' exports) are models too; only cells on screen get checked.
    onlyVisible: true,
  });
  // Models of other cells must reach the TS worker even before an editor shows them.
  typescriptDefaults.setEagerModelSync(true);
  typescriptDefaults.setExtraLibs([
    ...Object.entries(engineDeclarations).map(([path, content]) => ({ content, filePath: LIB_ROOT + path })),
    { content: LIB_INDEX, filePath: LIB_ROOT + 'index.d.ts' },
  ]);

  followStarlightTheme();
  return monaco;
}

/** Starlight keeps 'light' | 'dark' in <html data-theme>; Monaco's theme is global to the page. */
function followStarlightTheme(): void {
  const apply = () =>
    monaco.editor.setTheme(document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs');
  apply();
  new MutationObserver(apply).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
}

/** The monospace font and size of the book's static code blocks, so a cell does not jump. */
export function staticCodeFont(host: HTMLElement): { fontFamily: string; fontSize: number } {
  const probe = document.createElement('code');
  probe.style.cssText =
    'position:absolute;visibility:hidden;font-family:var(--sl-font-mono, ui-monospace, monospace);font-size:var(--sl-text-code, 0.875rem)';
  host.appendChild(probe);
  const style = getComputedStyle(probe);
  const font = { fontFamily: style.fontFamily, fontSize: Number.parseFloat(style.fontSize) || 14 };
  probe.remove();
  return font;
}
