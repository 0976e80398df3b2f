// What readers' code must not reach from the worker it runs in: the site's storage (saved edits,
// progress) and anything that could start a context with its own copy of them (nested workers).
// Taking a name off the global object is not enough — Chromium keeps `indexedDB` and `caches` as
// getters on WorkerGlobalScope.prototype, where `Object.getOwnPropertyDescriptor(…).get.call(self)`
// would find them — so each name is deleted from every object of the global's prototype chain.

/** Globals withheld from readers' code. */
export const WITHHELD_GLOBALS = [
  'indexedDB',
  'caches',
  'localStorage',
  'sessionStorage',
  'Worker',
  'SharedWorker',
  'ServiceWorker',
  'BroadcastChannel',
  'importScripts',
] as const;

/** Members of `navigator` withheld: storage (origin-private files, quota), service workers. */
export const WITHHELD_NAVIGATOR = ['storage', 'serviceWorker'] as const;

/** Deletes `name` from `target` and every prototype above it; a property that cannot be deleted is pinned to undefined. */
function remove(target: object, name: string): void {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
    if (!Object.prototype.hasOwnProperty.call(o, name)) continue;
    if (!Reflect.deleteProperty(o, name)) {
      Object.defineProperty(o, name, { value: undefined, writable: false, enumerable: false, configurable: false });
    }
  }
}

/**
 * Takes the withheld names out of reach, and replaces `close()` (which would silently stop the
 * worker for every later cell) with a clear error. Throws if any name is still reachable.
 */
export function lockDown(scope: object): void {
  for (const name of WITHHELD_GLOBALS) remove(scope, name);
  const nav = (scope as { navigator?: object }).navigator;
  if (nav) for (const name of WITHHELD_NAVIGATOR) remove(nav, name);
  if (typeof (scope as { close?: unknown }).close === 'function') {
    remove(scope, 'close');
    Object.defineProperty(scope, 'close', {
      value: function close(): never {
        throw new Error('close() is not available in cells: this worker runs every cell of the page. To stop a long run, press Stop.');
      },
      writable: false,
      configurable: false,
    });
  }
  const still = [
    ...WITHHELD_GLOBALS.filter((n) => (scope as Record<string, unknown>)[n] !== undefined),
    ...WITHHELD_NAVIGATOR.filter((n) => nav && (nav as Record<string, unknown>)[n] !== undefined).map((n) => `navigator.${n}`),
  ];
  if (still.length) throw new Error(`The cell worker could not withhold ${still.join(', ')}; cells are disabled in this browser.`);
}
