// Monaco on demand, for a code cell or an exercise: the editor module loads on the first open
// (click, focus, Edit); each edit reaches the island at once and is saved after a pause.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { EditorState } from './CodeArea.tsx';
import type { CellEditor } from './editor.ts';

export type EditorModule = typeof import('./editor.ts');

/** Pause after the last keystroke before an edit is saved. */
export const SAVE_DELAY_MS = 300;

export interface LazyEditorOptions {
  /** The code to open the editor with (the island's current source). */
  code: () => string;
  modelUri: string;
  ariaLabel: string;
  /** Every change, at once. */
  onEdit: (value: string) => void;
  /** The last change, SAVE_DELAY_MS after the typing stops. */
  save: (value: string) => void;
  onRun: () => void;
  onRunAndAdvance: () => void;
  /** The editor could not load; the static code stays usable. */
  onLoadFailed: (message: string) => void;
  /** With the module loaded, just before the editor is made (a cell tells it about the page). */
  beforeCreate?: (module: EditorModule) => void;
}

export function useLazyEditor(opts: LazyEditorOptions) {
  const [editorState, setEditorState] = useState<EditorState>('static');
  const editor = useRef<CellEditor | null>(null);
  const editorHost = useRef<HTMLDivElement>(null);
  const saveTimer = useRef<ReturnType<typeof setTimeout>>();
  // The editor's callbacks outlive a render: they read the latest handlers through this ref.
  const latest = useRef(opts);
  latest.current = opts;

  const openEditor = useCallback(async () => {
    if (editorState !== 'static') {
      editor.current?.focus();
      return;
    }
    setEditorState('loading');
    try {
      const module = await import('./editor.ts');
      latest.current.beforeCreate?.(module);
      const o = latest.current;
      editor.current = await module.createEditor(editorHost.current!, {
        value: o.code(),
        modelUri: o.modelUri,
        ariaLabel: o.ariaLabel,
        onChange(value) {
          latest.current.onEdit(value);
          clearTimeout(saveTimer.current);
          saveTimer.current = setTimeout(() => latest.current.save(value), SAVE_DELAY_MS);
        },
        onRun: () => latest.current.onRun(),
        onRunAndAdvance: () => latest.current.onRunAndAdvance(),
      });
      setEditorState('ready');
      editor.current.focus();
    } catch (e) {
      console.error(e);
      setEditorState('failed');
      latest.current.onLoadFailed((e as Error).message);
    }
  }, [editorState]);

  /** Drops a save still waiting for the typing to stop (the caller saves now instead). */
  const cancelPendingSave = useCallback(() => clearTimeout(saveTimer.current), []);

  useEffect(() => () => editor.current?.dispose(), []);

  return { editor, editorHost, editorState, openEditor, cancelPendingSave };
}
