// Types for engine-dts.mjs (imported by astro.config.mjs and by tests).
import type { Plugin } from 'vite';

export const VIRTUAL_ID: 'virtual:attention-lab-dts';
export const ENTRY: string;
export function generateEngineDts(root?: string): {
  files: Record<string, string>;
  sources: string[];
  diagnostics: string[];
};
export function rewriteTsSpecifiers(text: string): string;
export function engineDtsPlugin(): Plugin;
