// Measures the tensor-side costs a gradient strategy pays per step at the reference size (K tasks x ~810k
// shared parameters): the Gram matrix (two formulations), combining rows, and the small-K solvers.
// Run: pnpm --filter @mtl2r/solvers bench  (BACKEND=cpu to use the pure-JS backend).
import { selectBackend } from '@mtl2r/backend';
import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  cagradWeights,
  combineRows,
  gramMatrix,
  imtlWeights,
  minNormPoint,
  nashWeights,
  pcgradWeights,
} from '../src/index.js';

const backend = process.env.BACKEND === 'cpu' ? 'cpu' : 'wasm';
await selectBackend({ backend });
const parameters = Number(process.env.P ?? 810_000);
const repeats = Number(process.env.REPEATS ?? 10);

function time(label: string, run: () => void): void {
  run(); // warm-up
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run();
  const perCall = (performance.now() - start) / repeats;
  console.log(`${label.padEnd(48)} ${perCall.toFixed(3)} ms`);
}

const rng = new Rng('bench');
for (const tasks of [2, 5, 10]) {
  const grads = tf.tidy(
    () => tf.randomNormal([tasks, parameters], 0, 1, 'float32', rng.seed31()) as tf.Tensor2D,
  );
  console.log(`backend ${backend}, K = ${tasks}, P = ${parameters}`);
  time('gramMatrix (matMul G, G^T via transposeB)', () => gramMatrix(grads));
  time('alternative: matMul(G, transpose(G))', () => {
    const gram = tf.tidy(() => tf.matMul(grads, tf.transpose(grads)));
    gram.dataSync();
    gram.dispose();
  });
  time('alternative: K(K+1)/2 separate dot products', () => {
    const rows = tf.unstack(grads);
    for (let i = 0; i < tasks; i++)
      for (let j = i; j < tasks; j++)
        tf.tidy(() => tf.sum(tf.mul(rows[i] as tf.Tensor, rows[j] as tf.Tensor)).dataSync());
    tf.dispose(rows);
  });
  const weights = new Float64Array(tasks).fill(1 / tasks);
  time('combineRows (w^T G)', () => combineRows(grads, weights).dispose());
  const gram = gramMatrix(grads);
  time('minNormPoint', () => minNormPoint(gram));
  time('pcgradWeights', () => pcgradWeights(gram, rng));
  time('cagradWeights', () => cagradWeights(gram));
  time('imtlWeights', () => imtlWeights(gram));
  time('nashWeights', () => nashWeights(gram));
  grads.dispose();
}
