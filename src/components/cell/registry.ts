// The code cells of the current page, in page order: "Run all above", Shift+Enter's "next cell"
// and the stale marks all need to know about the other cells.
export interface CellHandle {
  index: number;
  /** The cell's file name for the editor's type checker, e.g. file:///cells/engine/read.ts. */
  modelUri: string;
  /** The code the cell would run now (the book's, or the reader's edit). */
  code(): string;
  /** The session run counter of this cell's last finished run, or -1 if it has not run. */
  lastRun(): { counter: number; generation: number } | null;
  run(): Promise<boolean>;
  focus(): void;
}

const cells = new Map<number, CellHandle>();
const listeners = new Set<() => void>();

export function registerCell(cell: CellHandle): () => void {
  cells.set(cell.index, cell);
  return () => {
    if (cells.get(cell.index) === cell) cells.delete(cell.index);
  };
}

export function allCells(): CellHandle[] {
  return [...cells.values()].sort((a, b) => a.index - b.index);
}

export function cellsBefore(index: number): CellHandle[] {
  return [...cells.values()].filter((c) => c.index < index).sort((a, b) => a.index - b.index);
}

export function cellAfter(index: number): CellHandle | undefined {
  return [...cells.values()].filter((c) => c.index > index).sort((a, b) => a.index - b.index)[0];
}

/** True when a cell above ran after this one: its output may no longer match the session. */
export function ranAfter(index: number, counter: number): boolean {
  return cellsBefore(index).some((c) => (c.lastRun()?.counter ?? -1) > counter);
}

export function onCellsChanged(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function cellsChanged(): void {
  for (const fn of listeners) fn();
}
