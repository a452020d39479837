import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RankerConfigInput } from './config.js';
import { batch, disposeRankers, make, scoresOf, tiny } from './ranker-test-support.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});
afterEach(disposeRankers);

describe('pair-module growth behind the ranker (GrowableModel)', () => {
  const growable: RankerConfigInput = { ...tiny, taskCount: 3, perTaskHeads: true, pairModuleDim: 3 };

  it('adds a pair module: parameters grow by its count, scores do not change until its fusion weights move', () => {
    const ranker = make(growable);
    const { x, mask } = batch([4, 3], 4, 3);
    const before = scoresOf(ranker, x, mask);
    const count = ranker.parameterCount();
    // 3 d r + r + d + 2 fusion weights = 36 + 3 + 4 + 2.
    expect(ranker.addPairModule(2, 0, 1)).toBe(45);
    expect(ranker.parameterCount()).toBe(count + 45);
    expect(ranker.pairModules()).toEqual([{ taskA: 0, taskB: 2, block: 1, parameters: 45 }]);
    expect(scoresOf(ranker, x, mask)).toEqual(before);

    const fusion = ranker.namedVariables().filter((r) => r.name.startsWith('pairs.0-2.1.fusion.'));
    expect(fusion.map((r) => [r.name, r.owner])).toEqual([
      ['pairs.0-2.1.fusion.0', { task: 0 }],
      ['pairs.0-2.1.fusion.2', { task: 2 }],
    ]);
    expect(ranker.taskVariables(0)).toContain(fusion[0]?.variable);
    const moduleEntries = ranker.sharedLayout().entries.filter((e) => e.name.startsWith('pairs.'));
    expect(moduleEntries.map((e) => [e.name, e.block])).toEqual([
      ['pairs.0-2.1.input.weight', 1],
      ['pairs.0-2.1.input.bias', 1],
      ['pairs.0-2.1.previous.weight', 1],
      ['pairs.0-2.1.output.weight', 1],
      ['pairs.0-2.1.output.bias', 1],
    ]);

    fusion[0]?.variable.assign(tf.scalar(0.5));
    const after = scoresOf(ranker, x, mask);
    // Task 0 reads the module; tasks 1 and 2 do not (task 2's fusion weight is still 0).
    expect(after.map((l) => l.map((s) => s[0]))).not.toEqual(before.map((l) => l.map((s) => s[0])));
    expect(after.map((l) => l.map((s) => [s[1], s[2]]))).toEqual(
      before.map((l) => l.map((s) => [s[1], s[2]])),
    );
  });

  it("a module's score contribution is fusion * (module output . head weight), chained to the pair's earlier module", () => {
    const ranker = make(growable, 3);
    ranker.addPairModule(0, 1, 1);
    ranker.addPairModule(0, 1, 0);
    const weights = ranker.weights();
    weights['pairs.0-1.0.fusion.1']?.assign(tf.scalar(0.25));
    weights['pairs.0-1.1.fusion.1']?.assign(tf.scalar(-2));
    const { x, mask } = batch([3], 3, 3);
    tf.tidy(() => {
      const out = ranker.trunkWithBlocks(tf.tensor3d(x), tf.tensor2d(mask));
      const plain = ranker.score(
        out.representation,
        out.blockOutputs.map((b) => tf.zerosLike(b)) as tf.Tensor3D[],
      );
      const scores = ranker.score(out.representation, out.blockOutputs);
      // Recompute task 1's contribution by hand from the module weights.
      const w = (name: string) => weights[name] as tf.Tensor;
      const module = (z: tf.Tensor, previous: tf.Tensor | undefined, at: string) => {
        let hidden = tf.add(
          tf.matMul(tf.reshape(z, [-1, 4]), w(`${at}.input.weight`)),
          w(`${at}.input.bias`),
        );
        if (previous !== undefined) hidden = tf.add(hidden, tf.matMul(previous, w(`${at}.previous.weight`)));
        return tf.add(tf.matMul(tf.relu(hidden), w(`${at}.output.weight`)), w(`${at}.output.bias`));
      };
      const first = module(out.blockOutputs[0] as tf.Tensor, undefined, 'pairs.0-1.0');
      const second = module(out.blockOutputs[1] as tf.Tensor, first, 'pairs.0-1.1');
      const head = w('heads.1.weight');
      const contribution = tf.add(tf.mul(0.25, tf.matMul(first, head)), tf.mul(-2, tf.matMul(second, head)));
      // With zeroed block outputs the modules still output their biases; remove that part too.
      const zeroFirst = module(tf.zeros([3, 4]), undefined, 'pairs.0-1.0');
      const zeroSecond = module(tf.zeros([3, 4]), zeroFirst, 'pairs.0-1.1');
      const zeroContribution = tf.add(
        tf.mul(0.25, tf.matMul(zeroFirst, head)),
        tf.mul(-2, tf.matMul(zeroSecond, head)),
      );
      const expected = tf
        .add(tf.sub(tf.slice(tf.reshape(plain, [3, 3]), [0, 1], [3, 1]), zeroContribution), contribution)
        .dataSync();
      const actual = tf.slice(tf.reshape(scores, [3, 3]), [0, 1], [3, 1]).dataSync();
      actual.forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i] as number, 5);
      });
    });
  });

  it('refuses growth it cannot do, saying why', () => {
    expect(() => make(tiny).addPairModule(0, 1, 0)).toThrow(
      'addPairModule needs a ranker with perTaskHeads: true',
    );
    const ranker = make(growable);
    expect(() => ranker.addPairModule(1, 1, 0)).toThrow(
      'addPairModule: taskA and taskB must differ, got 1 twice',
    );
    expect(() => ranker.addPairModule(0, 3, 0)).toThrow(
      'addPairModule taskB: task must be an integer in [0, 2], got 3',
    );
    expect(() => ranker.addPairModule(0, 1, 2)).toThrow(
      'addPairModule: block must be an integer in [0, 1], got 2',
    );
    ranker.addPairModule(0, 1, 0);
    expect(() => ranker.addPairModule(1, 0, 0)).toThrow(
      'addPairModule: tasks 0 and 1 already have a module at block 0',
    );
    tf.tidy(() => {
      const representation = tf.zeros([1, 2, 4]) as tf.Tensor3D;
      expect(() => ranker.score(representation)).toThrow(
        /pass the 2 blockOutputs of trunkWithBlocks \(got none\)/,
      );
    });
  });
});
