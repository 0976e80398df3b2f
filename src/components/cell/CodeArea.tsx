// The code part of a cell or an exercise: the book's code as highlighted at build time (children),
// the reader's edited version as plain text, and the host the Monaco editor mounts into on the
// first click or focus.
import type { ComponentChildren, RefObject } from 'preact';

export type EditorState = 'static' | 'loading' | 'ready' | 'failed';

interface Props {
  /** What would run now; shown instead of the book's code once the reader has changed it. */
  source: string;
  edited: boolean;
  editorState: EditorState;
  onOpenEditor(): void;
  editorHost: RefObject<HTMLDivElement>;
  staticHost?: RefObject<HTMLDivElement>;
  editedLabel: string;
  children?: ComponentChildren;
}

export function CodeArea({ source, edited, editorState, onOpenEditor, editorHost, staticHost, editedLabel, children }: Props) {
  return (
    <>
      <div ref={staticHost} class="cell-static" hidden={editorState === 'ready'} onClick={onOpenEditor} onFocusCapture={onOpenEditor}>
        {edited ? (
          <pre class="cell-plain" tabIndex={0} aria-label={editedLabel}>
            {/* One span a line, so an error can mark its line before the editor has loaded. */}
            {source.split('\n').map((line, i) => (
              <span key={i} class="cell-plain-line">
                {line + '\n'}
              </span>
            ))}
          </pre>
        ) : (
          children
        )}
        {editorState === 'loading' && <div class="cell-loading">Loading the editor…</div>}
      </div>
      <div ref={editorHost} class="cell-editor" hidden={editorState !== 'ready'} />
    </>
  );
}
