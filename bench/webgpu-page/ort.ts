// onnxruntime-web's WebGPU execution provider (`loadOrt('webgpu')`), its sessions on the engine's
// own GPUDevice as the book's pages run them. The graphs come from scripts/bench/gen_bench_onnx.py
// (models/*.onnx). Inputs are GPU buffers on that device and outputs stay on the GPU
// ('gpu-buffer'), so a run is GPU work only, like the other two columns; the last output of a
// batch is downloaded, which waits for the whole batch.
import { loadOrt, type Ort } from '../../src/runtime/models/ort-web.ts';
import type { Batch } from './timing.ts';

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
type OrtTensor = InstanceType<Ort['Tensor']>;

let ortPromise: Promise<Ort> | null = null;
export const ortWebgpu = (): Promise<Ort> => (ortPromise ??= loadOrt('webgpu'));

async function session(device: GPUDevice, file: string): Promise<Session> {
  const ort = await ortWebgpu();
  const bytes = new Uint8Array(await (await fetch(new URL(`./models/${file}`, import.meta.url))).arrayBuffer());
  return ort.InferenceSession.create(bytes, {
    executionProviders: [{ name: 'webgpu', device } as never, 'wasm'],
    preferredOutputLocation: 'gpu-buffer',
  });
}

/** A GPU buffer on `device` filled with uniform noise in [-1, 1), wrapped as an ORT tensor. */
function gpuInput(ort: Ort, device: GPUDevice, dims: number[]): { tensor: OrtTensor; buffer: GPUBuffer } {
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = Math.random() * 2 - 1;
  const buffer = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data);
  return { tensor: ort.Tensor.fromGpuBuffer(buffer, { dataType: 'float32', dims }) as OrtTensor, buffer };
}

async function batchOf(device: GPUDevice, file: string, inputs: Record<string, number[]>): Promise<Batch> {
  const ort = await ortWebgpu();
  const sess = await session(device, file);
  const made = Object.entries(inputs).map(([name, dims]) => [name, gpuInput(ort, device, dims)] as const);
  const feeds = Object.fromEntries(made.map(([name, m]) => [name, m.tensor]));
  const outName = sess.outputNames[0]!;
  return {
    async run(k) {
      let last: OrtTensor | null = null;
      for (let i = 0; i < k; i++) {
        last?.dispose();
        last = (await sess.run(feeds))[outName] as OrtTensor;
      }
      if (last!.location !== 'gpu-buffer') throw new Error(`the output came back on ${last!.location}, not the GPU: a node fell back to wasm`);
      await last!.getData(true); // download, then release the GPU buffer
    },
    async dispose() {
      await sess.release();
      for (const [, m] of made) m.buffer.destroy();
    },
  };
}

export const ortMatmul = (device: GPUDevice, n: number): Promise<Batch> => batchOf(device, 'matmul.onnx', { a: [n, n], b: [n, n] });

export const ortAttention = (device: GPUDevice, shape: [number, number, number, number]): Promise<Batch> =>
  batchOf(device, 'attention.onnx', { q: shape, k: shape, v: shape });
