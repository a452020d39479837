import * as tf from '@tensorflow/tfjs-core';

/** The stock gradients we replaced, by kernel name, to put back. */
const stock = new Map<string, tf.GradConfig>();

/** dy reshaped to x's rank with 1 on the reduced axes (what the stock gradients broadcast). */
function expandedShape(x: tf.Tensor, axis: number | number[]): number[] {
  const shape = x.shape.slice();
  for (const a of tf.util.parseAxisParam(axis, x.shape)) shape[a] = 1;
  return shape;
}

/** Whether to take the replacement: float32 on wasm (elsewhere the stock gradient runs). */
function applies(x: tf.Tensor | undefined, dy: tf.Tensor): x is tf.Tensor {
  return x !== undefined && dy.dtype === 'float32' && tf.getBackend() === 'wasm';
}

/**
 * Sum's and Mean's gradients without a tensor of ones. tfjs-core's multiply dy by `ones(x.shape)`, which
 * fills the ones in a JS loop and uploads them to the wasm heap for every call: the LayerNorms' 18
 * reductions per backward pass made about 0.35 s of the K = 5 per-task step. Here dy (Mean: dy / n, on
 * the small tensor) is broadcast to x's shape by Tile, a block copy. dy * 1 is dy and each element's
 * dy / n is the same division, so the gradients are the same bits. Idempotent.
 */
export function installReductionGradients(): void {
  const sum = tf.getGradient(tf.Sum);
  if (sum !== undefined && !stock.has(tf.Sum)) {
    stock.set(tf.Sum, sum);
    tf.registerGradient({
      ...sum,
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as tf.Tensor[];
        const g = dy as tf.Tensor;
        if (!applies(x, g)) return sum.gradFunc(dy, saved, attrs);
        const { axis } = attrs as unknown as tf.SumAttrs;
        return { x: () => tf.broadcastTo(tf.reshape(g, expandedShape(x, axis)), x.shape) };
      },
    });
  }
  const mean = tf.getGradient(tf.Mean);
  if (mean !== undefined && !stock.has(tf.Mean)) {
    stock.set(tf.Mean, mean);
    tf.registerGradient({
      ...mean,
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved as tf.Tensor[];
        const g = dy as tf.Tensor;
        if (!applies(x, g)) return mean.gradFunc(dy, saved, attrs);
        const { axis } = attrs as unknown as tf.MeanAttrs;
        const expanded = expandedShape(x, axis);
        const count = x.size / expanded.reduce((p, d) => p * d, 1);
        return {
          x: () => tf.tidy(() => tf.broadcastTo(tf.div(tf.reshape(g, expanded), count), x.shape)),
        };
      },
    });
  }
}

/** Puts tfjs's own Sum and Mean gradients back (idempotent). */
export function uninstallReductionGradients(): void {
  for (const config of stock.values()) tf.registerGradient(config);
  stock.clear();
}
