import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
await selectBackend({ backend: 'wasm' });
const big = process.argv[2] === 'big' ? tf.zeros([400, 1024, 1024]) : null; // 1.6 GB resident
const a = tf.randomNormal([16, 4, 240, 240]), b = tf.randomNormal([16, 4, 240, 32]);
for (let i = 0; i < 4; i++) {
  let t = performance.now(); tf.matMul(a, b, true, false).dispose(); const t1 = performance.now() - t;
  t = performance.now(); tf.matMul(a, b, false, false).dispose(); const t2 = performance.now() - t;
  console.log(i, 'tA', t1.toFixed(0), 'plain', t2.toFixed(0));
}
