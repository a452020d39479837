import { Rng } from '@mtl2r/core';
import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { createRanker } from '../src/index.js';
await selectBackend({ backend: (process.argv[4] as any) ?? 'wasm' });
const B = Number(process.argv[2] ?? 16), L = 240, F = 132;
const mode = process.argv[3] ?? 'fwd';
const rng = new Rng('x');
const ranker = createRanker({ featureCount: F, taskCount: 5 }, 1);
const x = tf.tensor3d(Float32Array.from({ length: B * L * F }, () => rng.normal()), [B, L, F]);
const mask = tf.ones([B, L], 'bool') as tf.Tensor2D;
const run = () => {
  if (mode === 'fwd') tf.tidy(() => { ranker.apply(x, mask, { training: true }).dataSync(); });
  else { const { value, grads } = tf.variableGrads(() => tf.mean(ranker.apply(x, mask, { training: true })) as tf.Scalar, ranker.variables()); value.dataSync(); tf.dispose([value, ...Object.values(grads)]); }
};
run();
const t0 = performance.now();
const info = await tf.profile(run);
const wall = performance.now() - t0;
const by = new Map<string, { ms: number; n: number; bytes: number }>();
for (const k of info.kernels) { const key = k.name + ' ' + JSON.stringify(k.inputShapes) + '->' + JSON.stringify(k.outputShapes); const e = by.get(key) ?? { ms: 0, n: 0, bytes: 0 }; e.ms += k.kernelTimeMs as number; e.n++; e.bytes += k.bytesAdded; by.set(key, e); }
const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, r) => s + r[1].ms, 0);
console.log(`wall ${wall.toFixed(0)}ms kernels ${total.toFixed(0)}ms peak ${(info.peakBytes / 2 ** 20).toFixed(0)}MiB`);
for (const [n, e] of rows.slice(0, 40)) console.log(n.padEnd(90), e.ms.toFixed(0).padStart(7), 'ms', String(e.n).padStart(5));
