// Turns an exception from readers' code into a message in plain words, with a hint of what to try.
import type { CellError } from './protocol.ts';

export function explainError(e: unknown, where?: { line: number; column: number }): CellError {
  const err = e instanceof Error ? e : new Error(String(e));
  const message = err.message.replace(/\s*\(\d+:\d+\)\s*$/, '');
  const base: CellError = { name: err.name, message, ...(where ?? {}) };
  const hint = hintFor(err, message);
  return hint ? { ...base, hint } : base;
}

function hintFor(err: Error, message: string): string | undefined {
  const notDefined = /^(\S+) is not defined$/.exec(message);
  if (err.name === 'ReferenceError' && notDefined) {
    return `Nothing called "${notDefined[1]}" exists here. If an earlier cell defines it, that cell must \`export\` it and must have run in this session — try "Run all above". If it comes from the engine, add it to the import from 'attention-lab'.`;
  }
  if (err.name === 'SyntaxError') {
    return 'The code could not be read as TypeScript. Look for a missing bracket, quote or comma near the marked line.';
  }
  if (err.name === 'RangeError' && /call stack/i.test(message)) {
    return 'A function kept calling itself (or another function) without stopping, until the call stack ran out. Check the condition that should end the recursion.';
  }
  if (err.name === 'RangeError' && /(allocation|array buffer|typed array length|invalid array length)/i.test(message)) {
    return 'The program asked for more memory than the browser can give it — usually a tensor with far too many elements. Check the shapes you create.';
  }
  if (err.name === 'TypeError' && /is not a function/.test(message)) {
    return 'Something was called like a function but is not one: check the spelling of the method, and that the value is what you expect (a Tensor, a module, …).';
  }
  if (err.name === 'TypeError' && /(undefined|null)/.test(message)) {
    return 'A value was undefined or null where an object was expected. Check that the variable was assigned, and that an index or key exists.';
  }
  return undefined;
}
