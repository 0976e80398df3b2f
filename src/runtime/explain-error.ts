// Turns an exception from readers' code into a message in plain words, with a hint of what to try.
import type { CellError } from './protocol.ts';
import { describeThrown } from './output.ts';

/** Names that exist on a web page but not in the worker cells run in, and why. */
const PAGE_ONLY =
  /^(document|window|parent|top|opener|frames|alert|confirm|prompt|print|HTMLElement|HTMLCanvasElement|Image|Audio|getComputedStyle|customElements|history)$/;
const WITHHELD = /^(localStorage|sessionStorage|indexedDB|caches|Worker|SharedWorker|BroadcastChannel|ServiceWorker|importScripts)$/;

export function explainError(e: unknown, where?: { line: number; column: number }): CellError {
  try {
    if (!(e instanceof Error)) {
      // `throw { message: 42 }` or `throw 'oops'`: show what was thrown, as a console would.
      return {
        name: 'Uncaught',
        message: describeThrown(e),
        ...(where ?? {}),
        hint: 'The code threw a value that is not an Error. `throw new Error("what went wrong")` gives a message and the line it came from.',
      };
    }
    const name = typeof e.name === 'string' ? e.name : 'Error';
    const message = (typeof e.message === 'string' ? e.message : describeThrown(e.message)).replace(/\s*\(\d+:\d+\)\s*$/, '');
    const base: CellError = { name, message, ...(where ?? {}) };
    const hint = hintFor(name, message);
    return hint ? { ...base, hint } : base;
  } catch {
    // A thrown value whose name or message throws when read (a Proxy, a hostile getter).
    return { name: 'Uncaught', message: describeThrown(e), ...(where ?? {}) };
  }
}

function hintFor(name: string, message: string): string | undefined {
  const notDefined = /^(\S+) is not defined$/.exec(message);
  if (name === 'ReferenceError' && notDefined) {
    const missing = notDefined[1]!;
    if (missing === 'SharedArrayBuffer') {
      return 'SharedArrayBuffer exists only on cross-origin-isolated pages, and this site is not one (so that its pages can be embedded anywhere). Use an ArrayBuffer or a typed array such as Float32Array instead.';
    }
    if (PAGE_ONLY.test(missing)) {
      return `"${missing}" belongs to the web page, and cells run in a Web Worker, apart from the page: there is no window or DOM here. Show results with console.log, or draw them with plot.line, plot.scatter, plot.bar or plot.heatmap from 'attention-lab'.`;
    }
    if (WITHHELD.test(missing)) {
      return `Cells cannot use "${missing}": the browser's storage and new workers could reach what you saved on this site. Keep values in variables, and export them to use them in later cells.`;
    }
    return `Nothing called "${missing}" exists here. If an earlier cell defines it, that cell must \`export\` it and must have run in this session — try "Run all above". If it comes from the engine, add it to the import from 'attention-lab'.`;
  }
  if (name === 'SyntaxError') {
    return 'The code could not be read as TypeScript. Look for a missing bracket, quote or comma near the marked line.';
  }
  if (name === 'RangeError' && /call stack/i.test(message)) {
    return 'A function kept calling itself (or another function) without stopping, until the call stack ran out. Check the condition that should end the recursion.';
  }
  if (name === 'RangeError' && /(allocation|array buffer|typed array length|invalid array length)/i.test(message)) {
    return 'The program asked for more memory than the browser can give it — usually a tensor with far too many elements. Check the shapes you create.';
  }
  if (name === 'TypeError' && /is not a function/.test(message)) {
    return 'Something was called like a function but is not one: check the spelling of the method, and that the value is what you expect (a Tensor, a module, …).';
  }
  if (name === 'TypeError' && /(undefined|null)/.test(message)) {
    return 'A value was undefined or null where an object was expected. Check that the variable was assigned, and that an index or key exists.';
  }
  return undefined;
}
