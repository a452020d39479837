/**
 * Forward + backward time of each loss on a training-sized batch (default B 64 x L 240, allRank's slate),
 * on the backend given by MTL2R_BACKEND (default wasm). Run: pnpm --filter @mtl2r/losses bench
 * Environment: BATCH, LENGTH, REPEATS, MTL2R_BACKEND, LOSSES (comma-separated ids to run; default all).
 */
import { selectBackend } from '@mtl2r/backend';
import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { createLoss, type LossName } from '../src/index.js';

const batch = Number(process.env.BATCH ?? 64);
const length = Number(process.env.LENGTH ?? 240);
const repeats = Number(process.env.REPEATS ?? 3);
const backend = (process.env.MTL2R_BACKEND ?? 'wasm') as 'wasm' | 'cpu';
const only = process.env.LOSSES?.split(',');

const cases: Array<[LossName, Record<string, unknown>]> = [
  ['listNet', {}],
  ['binaryListNet', {}],
  ['listMLE', {}],
  ['rankNet', {}],
  ['lambdaLoss', { weighting: 'ndcgLoss2++' }],
  ['lambdaLoss', { weighting: 'ndcgLoss2++', k: 10 }],
  ['approxNDCG', {}],
  ['neuralNDCG', {}],
  ['neuralNDCGTransposed', {}],
  ['ordinal', { n: 4 }],
  ['pointwiseRMSE', { levels: 4 }],
  ['pointwiseBCE', { maxLabel: 4 }],
];

const selection = await selectBackend({ backend });
const rng = new Rng(1);
const uniform = (size: number, scale: number) =>
  Float32Array.from({ length: size }, () => rng.float() * scale);
// Lists are 60-100% full, the rest padding, as a length-bucketed batch.
const maskValues = new Float32Array(batch * length);
for (let b = 0; b < batch; b++) {
  const real = Math.floor(length * (0.6 + 0.4 * rng.float()));
  for (let i = 0; i < real; i++) maskValues[b * length + i] = 1;
}
const labels = tf.floor(tf.tensor2d(uniform(batch * length, 5), [batch, length])) as tf.Tensor2D;
const mask = tf.tensor2d(maskValues, [batch, length]);

console.log(
  `backend ${selection.name}, B ${batch} x L ${length}, median of ${repeats} forward+backward runs`,
);
for (const [name, options] of cases) {
  if (only !== undefined && !only.includes(name)) continue;
  const loss = createLoss(name, options);
  const shape = loss.outputs === 1 ? [batch, length] : [batch, length, loss.outputs];
  const scores = tf.tensor(
    uniform(
      shape.reduce((a, b) => a * b, 1),
      2,
    ),
    shape,
  ) as tf.Tensor2D;
  const step = () => {
    const { value, grad } = tf.valueAndGrad((s: tf.Tensor) => loss.compute(s as tf.Tensor2D, labels, mask))(
      scores,
    );
    grad.dataSync();
    tf.dispose([value, grad]);
  };
  step(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${`${name} ${JSON.stringify(options)}`.padEnd(48)} ${(times[Math.floor(times.length / 2)] as number).toFixed(0).padStart(7)} ms`,
  );
  scores.dispose();
}
tf.dispose([labels, mask]);
