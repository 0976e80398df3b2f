// TensorFlow.js on @tensorflow/tfjs-backend-webgpu (4.22.0, matching tfjs-core). tfjs asks
// navigator.gpu for its own adapter and device: on this page that is the same adapter the
// engine has (main.ts checks the adapter info), but a device of its own. matmul is tf.matMul;
// attention is matMul → scale → softmax → matMul; the GPT step is bench/gpt-step.ts's tfjsGptTrainer.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import { tfjsGptTrainer } from '../gpt-step.ts';
import { runK, type Batch } from './timing.ts';

export { tf };

export async function startTfjs(): Promise<boolean> {
  return (await tf.setBackend('webgpu')) && tf.getBackend() === 'webgpu';
}

export function tfjsMatmul(n: number): Batch {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  return { run: (k) => runK(k, () => tf.matMul(a, b)), dispose: () => tf.dispose([a, b]) };
}

export function tfjsAttention(shape: [number, number, number, number]): Batch {
  const [q, k, v] = [tf.randomNormal(shape), tf.randomNormal(shape), tf.randomNormal(shape)];
  const scale = 1 / Math.sqrt(shape[3]);
  return {
    run: (iters) => runK(iters, () => tf.tidy(() => tf.matMul(tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale)), v))),
    dispose: () => tf.dispose([q, k, v]),
  };
}

export function tfjsGpt(): Batch {
  const trainer = tfjsGptTrainer(tf);
  return { run: (k) => runK(k, () => trainer.step()), dispose: () => trainer.dispose() };
}
