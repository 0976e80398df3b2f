// Readers' edits to code cells, kept in IndexedDB so that every edit survives a reload. Each edit
// remembers the book's code it started from, so the page can tell when the book changed since.
// Storage may be missing or refused (private windows, blocked storage): then nothing is saved,
// one warning goes to the console, and no call ever throws into the page.
import { createStore, get, set, del, entries, type UseStore } from 'idb-keyval';

export interface SavedEdit {
  code: string;
  original: string;
  originalHash: string;
  savedAt: number;
}

// A database of its own: idb-keyval creates its store only when it creates the database.
const DB_NAME = 'attention-lab-cell-edits';
const STORE_NAME = 'edits';

/** One key per cell of the book: `<page path>#<cell id>`, page path without a trailing slash. */
export function cellKey(pagePath: string, cellId: string): string {
  const page = pagePath.replace(/[?#].*$/, '').replace(/\/index\.html$/, '/').replace(/\/+$/, '') || '/';
  return `${page}#${cellId}`;
}

/** cyrb53: a fast, well-mixed 53-bit string hash, as 14 hex digits. Stable across runs and engines. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, '0');
}

let store: UseStore | null | undefined;
let warned = false;

function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn('Attention Lab: your code edits cannot be saved in this browser (storage unavailable).', error);
}

function editStore(): UseStore | null {
  if (store !== undefined) return store;
  try {
    store = typeof indexedDB === 'undefined' ? null : createStore(DB_NAME, STORE_NAME);
    if (!store) warnOnce('no IndexedDB');
  } catch (error) {
    store = null;
    warnOnce(error);
  }
  return store;
}

async function guarded<T>(fallback: T, action: (s: UseStore) => Promise<T>): Promise<T> {
  const s = editStore();
  if (!s) return fallback;
  try {
    return await action(s);
  } catch (error) {
    warnOnce(error);
    return fallback;
  }
}

function isSavedEdit(value: unknown): value is SavedEdit {
  const v = value as SavedEdit | null;
  return (
    typeof v === 'object' && v !== null && typeof v.code === 'string' && typeof v.original === 'string' &&
    typeof v.originalHash === 'string' && typeof v.savedAt === 'number'
  );
}

export async function loadEdit(key: string): Promise<SavedEdit | undefined> {
  return guarded(undefined, async (s) => {
    const value: unknown = await get(key, s);
    return isSavedEdit(value) ? value : undefined;
  });
}

export async function saveEdit(key: string, code: string, original: string): Promise<void> {
  const edit: SavedEdit = { code, original, originalHash: hashText(original), savedAt: Date.now() };
  await guarded(undefined, (s) => set(key, edit, s));
}

export async function clearEdit(key: string): Promise<void> {
  await guarded(undefined, (s) => del(key, s));
}

/** Every saved edit, for exporting a reader's progress. */
export async function allEdits(): Promise<Array<[string, SavedEdit]>> {
  return guarded([], async (s) => {
    const rows = await entries<IDBValidKey, unknown>(s);
    return rows.flatMap(([k, v]) => (typeof k === 'string' && isSavedEdit(v) ? [[k, v] as [string, SavedEdit]] : []));
  });
}
