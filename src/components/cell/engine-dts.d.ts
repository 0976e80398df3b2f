// Served by scripts/engine-dts.mjs (Vite plugin): the engine's declarations, generated at build time.
declare module 'virtual:attention-lab-dts' {
  /** Paths relative to src/ ('engine/index.d.ts', 'runtime/book-module.d.ts', ...) → .d.ts text. */
  export const files: Record<string, string>;
}
