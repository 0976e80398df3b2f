// The in-page code editor of a cell: Monaco with TypeScript checked against the engine's real
// declarations. The code cell imports this module on first interaction only, so a reader who
// never edits never downloads Monaco (≈ 1 MB gz) or its TypeScript worker (≈ 1.5 MB gz).
import { monaco, setUpMonaco, staticCodeFont, typescriptDefaults } from './monaco-setup.ts';
import { sessionDeclarations, type PageCell } from './session-types.ts';

export type { PageCell } from './session-types.ts';

export interface CellEditor {
  getValue(): string;
  setValue(code: string): void;
  focus(): void;
  /** Marks a line (1-based) with an error squiggle + hover message and scrolls it into view. */
  showError(line: number, message: string, column?: number): void;
  clearErrors(): void;
  dispose(): void;
}

export interface CreateEditorOptions {
  value: string;
  /** Unique per cell, e.g. `file:///cells/<page-slug>/<cell-id>.ts`; each cell is its own TS file. */
  modelUri: string;
  ariaLabel: string;
  onChange(value: string): void;
  onRun(): void; // Ctrl/Cmd+Enter
  onRunAndAdvance(): void; // Shift+Enter
}

const MIN_LINES = 4;
const MAX_LINES = 30;
/** Marker owner for run-time errors, apart from TypeScript's own diagnostics. */
const RUN_ERRORS = 'attention-lab-run';

export async function createEditor(host: HTMLElement, opts: CreateEditorOptions): Promise<CellEditor> {
  setUpMonaco();
  const uri = monaco.Uri.parse(opts.modelUri);
  const existing = monaco.editor.getModel(uri);
  const model = existing ?? monaco.editor.createModel(opts.value, 'typescript', uri);
  if (existing && existing.getValue() !== opts.value) existing.setValue(opts.value);

  // Starlight's prose styles (margins between sibling blocks) would tear Monaco's layout apart.
  host.classList.add('not-content');
  const { fontFamily, fontSize } = staticCodeFont(host);
  const editor = monaco.editor.create(host, {
    model,
    ariaLabel: opts.ariaLabel,
    fontFamily,
    fontSize,
    tabSize: 2,
    insertSpaces: true,
    // Wrapped like the highlighted code the editor replaces, so opening it does not reflow.
    wordWrap: 'on',
    wrappingIndent: 'indent',
    detectIndentation: false,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    automaticLayout: true,
    lineNumbersMinChars: 3,
    glyphMargin: false,
    folding: false,
    renderLineHighlightOnlyWhenFocus: true,
    overviewRulerLanes: 0,
    hideCursorInOverviewRuler: true,
    scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
    padding: { top: 8, bottom: 8 },
    accessibilitySupport: 'auto',
    // Quiet editor: no code lens, sticky headers, inlay hints, colour swatches or links.
    codeLens: false,
    stickyScroll: { enabled: false },
    inlayHints: { enabled: 'off' },
    colorDecorators: false,
    links: false,
    contextmenu: true,
    fixedOverflowWidgets: true,
  });

  // Grow with the code between MIN_LINES and MAX_LINES, then scroll inside.
  const lineHeight = editor.getOption(monaco.editor.EditorOption.lineHeight);
  const padding = 16;
  const fitHeight = () => {
    const height = Math.min(
      Math.max(editor.getContentHeight(), MIN_LINES * lineHeight + padding),
      MAX_LINES * lineHeight + padding,
    );
    if (host.style.height !== `${height}px`) {
      host.style.height = `${height}px`;
      editor.layout({ width: host.clientWidth, height });
    }
  };
  const disposables: monaco.IDisposable[] = [
    editor.onDidContentSizeChange(fitHeight),
    model.onDidChangeContent(() => opts.onChange(model.getValue())),
  ];
  fitHeight();

  editor.addAction({
    id: 'attention-lab.run',
    label: 'Run cell',
    keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
    run: () => opts.onRun(),
  });
  editor.addAction({
    id: 'attention-lab.run-and-advance',
    label: 'Run cell and go to the next',
    keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
    // While the suggestion list is open, Shift+Enter still accepts a suggestion.
    precondition: '!suggestWidgetVisible',
    run: () => opts.onRunAndAdvance(),
  });

  return {
    getValue: () => model.getValue(),
    setValue(code) {
      if (code !== model.getValue()) model.setValue(code);
    },
    focus: () => editor.focus(),
    showError(line, message, column) {
      const lineNumber = Math.min(Math.max(1, Math.round(line) || 1), model.getLineCount());
      const text = model.getLineContent(lineNumber);
      const firstChar = text.search(/\S/) + 1 || 1;
      const startColumn = column && column >= 1 && column <= text.length ? column : firstChar;
      const word = column ? model.getWordAtPosition({ lineNumber, column: startColumn }) : null;
      monaco.editor.setModelMarkers(model, RUN_ERRORS, [
        {
          severity: monaco.MarkerSeverity.Error,
          message,
          startLineNumber: lineNumber,
          startColumn,
          endLineNumber: lineNumber,
          endColumn: word ? word.endColumn : Math.max(model.getLineMaxColumn(lineNumber), startColumn + 1),
        },
      ]);
      editor.revealLineInCenterIfOutsideViewport(lineNumber);
    },
    clearErrors: () => monaco.editor.setModelMarkers(model, RUN_ERRORS, []),
    dispose() {
      for (const d of disposables) d.dispose();
      editor.dispose();
      // A page cell's model stays: later cells' types depend on what it exports.
      if (!pageCellUris.has(model.uri.toString())) model.dispose();
      host.style.height = '';
    },
  };
}

const pageCellUris = new Set<string>();
const sessionLibs = new Map<string, monaco.IDisposable>();

/**
 * Tells the type checker about the cells of a page (in page order, with their current code), so
 * that names earlier cells `export` are known in later cells, as in the run session. Call it
 * before or after createEditor, and again when a cell's code changes (debounced); cells without
 * an open editor get a hidden model.
 */
export function setPageCells(cells: PageCell[]): void {
  setUpMonaco();
  for (const cell of cells) {
    pageCellUris.add(cell.modelUri);
    const uri = monaco.Uri.parse(cell.modelUri);
    const model = monaco.editor.getModel(uri);
    if (!model) monaco.editor.createModel(cell.code, 'typescript', uri);
    else if (model.getValue() !== cell.code) model.setValue(cell.code);
  }
  const byDirectory = new Map<string, PageCell[]>();
  for (const cell of cells) {
    const dir = cell.modelUri.slice(0, cell.modelUri.lastIndexOf('/') + 1);
    byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), cell]);
  }
  for (const [dir, pageCells] of byDirectory) {
    const path = `${dir}__session.d.ts`;
    sessionLibs.get(path)?.dispose();
    sessionLibs.set(path, typescriptDefaults.addExtraLib(sessionDeclarations(pageCells), path));
  }
}
