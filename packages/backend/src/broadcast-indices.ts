/**
 * For every position of the broadcast outer shape `out` (row-major), the flat index of the matching
 * element of `input`, whose shape broadcasts to `out` numpy-style (aligned right, size-1 dims repeat).
 */
export function broadcastIndices(out: readonly number[], input: readonly number[]): Int32Array {
  const total = out.reduce((p, d) => p * d, 1);
  const indices = new Int32Array(total);
  const offset = out.length - input.length;
  // Stride of each out dimension in the input; 0 where the input repeats (size 1 or missing).
  const strides = new Array<number>(out.length).fill(0);
  let stride = 1;
  for (let d = input.length - 1; d >= 0; d--) {
    const size = input[d] ?? 1;
    strides[d + offset] = size === 1 ? 0 : stride;
    stride *= size;
  }
  const coord = new Array<number>(out.length).fill(0);
  let flat = 0;
  for (let i = 0; i < total; i++) {
    indices[i] = flat;
    // Odometer increment of the out coordinate, keeping the input's flat index in step.
    for (let d = out.length - 1; d >= 0; d--) {
      const c = (coord[d] ?? 0) + 1;
      const s = strides[d] ?? 0;
      if (c < (out[d] ?? 1)) {
        coord[d] = c;
        flat += s;
        break;
      }
      flat -= s * (c - 1);
      coord[d] = 0;
    }
  }
  return indices;
}
