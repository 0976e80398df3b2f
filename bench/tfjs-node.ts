// Loads TensorFlow.js (core with its gradients, the cpu and wasm backends) into Node as ONE
// tfjs-core instance. The packages' Node entry points are CommonJS without the gradient
// registrations, and their ESM builds use extensionless imports Node cannot load, so the ESM
// sources are bundled once with esbuild (present in node_modules as a Vite dependency) into a
// temporary CommonJS file and required from there.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Tf = typeof import('@tensorflow/tfjs-core');
export type TfWasm = typeof import('@tensorflow/tfjs-backend-wasm');

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function loadTfjs(): { tf: Tf; wasm: TfWasm; wasmDir: string } {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = require('esbuild') as typeof import('esbuild');
  } catch {
    throw new Error('bench: esbuild is needed to load tfjs in Node (it normally comes with Vite); run npm install first');
  }
  const out = esbuild.buildSync({
    stdin: {
      contents: [
        "export * from '@tensorflow/tfjs-core';",
        "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
        "import '@tensorflow/tfjs-backend-cpu';",
        "export * as wasm from '@tensorflow/tfjs-backend-wasm';",
      ].join('\n'),
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'error',
    write: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'attention-lab-tfjs-'));
  const file = join(dir, 'tfjs.cjs');
  writeFileSync(file, out.outputFiles[0].text);
  const mod = require(file) as Tf & { wasm: TfWasm };
  rmSync(dir, { recursive: true, force: true }); // loaded; the file is no longer needed
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  return { tf: mod, wasm: mod.wasm, wasmDir };
}
