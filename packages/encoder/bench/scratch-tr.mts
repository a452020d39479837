import { transposeBlocked } from '../../backend/src/transpose-blocked.js';
for (const [b, r, c] of [[64, 240, 240], [1, 3840, 128], [64, 240, 32]]) {
  const x = new Float32Array(b * r * c).map(Math.random), o = new Float32Array(b * r * c);
  for (let i = 0; i < 3; i++) { const t = performance.now(); transposeBlocked(x, o, b!, r!, c!); console.log(b, r, c, (performance.now() - t).toFixed(1), 'ms'); }
}
