import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@mtl2r/backend';
import { createWasmBatchMatMul } from '../../backend/src/wasm-batch-mat-mul.js';
import { nativeGemmNote } from '../../backend/src/native-gemm.js';
console.log(nativeGemmNote());
await selectBackend({ backend: 'wasm' }); (await import('@mtl2r/backend')).uninstallWasmKernels();
const stock = tf.getKernel('BatchMatMul', 'wasm')!;
const ours = createWasmBatchMatMul(stock.kernelFunc);
const use = (f: tf.KernelFunc) => { tf.unregisterKernel('BatchMatMul', 'wasm'); tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: f }); };
const cases: [number[], number[], boolean, boolean][] = [
  [[15360, 132], [132, 128], false, false],
  [[15360, 128], [128, 128], false, true],
  [[15360, 132], [15360, 128], true, false],
  [[15360, 128], [128, 512], false, false],
  [[256, 240, 32], [256, 240, 32], false, true],
  [[256, 240, 240], [256, 240, 32], false, false],
  [[256, 240, 240], [256, 240, 32], true, false],
  [[64, 240, 128], [128, 128], false, false],
];
for (const [sa, sb, ta, tb] of cases) {
  const a = tf.randomNormal(sa), b = tf.randomNormal(sb);
  const row: string[] = [];
  let ref: Float32Array | undefined;
  for (const [name, f] of [['ours', ours], ['stock', stock.kernelFunc]] as const) {
    use(f);
    const c0 = tf.matMul(a, b, ta, tb); const d = c0.dataSync() as Float32Array; c0.dispose();
    if (name === 'ours') ref = d; else { let e = 0; for (let i = 0; i < d.length; i++) e = Math.max(e, Math.abs(d[i]! - ref![i]!)); row.push(`maxdiff ${e.toExponential(2)}`); }
    const reps = name === 'stock' ? 1 : 3;
    const t = performance.now();
    for (let r = 0; r < reps; r++) { const c = tf.matMul(a, b, ta, tb); c.dataSync(); c.dispose(); }
    const ms = (performance.now() - t) / reps;
    const M = ta ? sa.at(-1)! : sa.at(-2)!, K = ta ? sa.at(-2)! : sa.at(-1)!, N = tb ? sb.at(-2)! : sb.at(-1)!;
    const batch = sa.length === 3 ? sa[0]! : 1;
    row.push(`${name} ${ms.toFixed(1)}ms ${(2 * batch * M * K * N / ms / 1e6).toFixed(1)}GF/s`);
  }
  console.log(JSON.stringify([sa, sb, ta, tb]), row.join('  '));
  a.dispose(); b.dispose();
}
