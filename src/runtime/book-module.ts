// What readers' code gets from `import { ... } from 'attention-lab'`: the whole engine plus the
// cell helpers (plots, progress). One specifier for the whole book; the worker, the doc-tests and
// the editor's type declarations all resolve it to this module.
export * from '../engine/index.ts';
export * from './cell-api.ts';
export { models } from './cell-models.ts';
export { viewers } from './cell-viewers.ts';
