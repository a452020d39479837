import { describe, expect, it } from 'vitest';
import { formatEvaluation, progressReporter } from './progress.js';

const start = {
  type: 'start',
  taskNames: ['rel', 'pr'],
  epochs: 2,
  batchesPerEpoch: 4,
  step: 0,
  epoch: 0,
  resumed: false,
} as const;
const step = (n: number, batch: number) =>
  ({
    type: 'step',
    step: n,
    epoch: 0,
    batch,
    batches: 4,
    losses: Float32Array.from([1.5, 0.25]),
    learningRate: 0.001,
  }) as const;
const epoch = {
  type: 'epoch',
  epoch: 0,
  trainLosses: Float32Array.from([1.25, 0.5]),
  validation: [
    { task: 'rel', metrics: { 'ndcg@10': 0.5 } },
    { task: 'pr', metrics: { 'ndcg@10': 0.25 } },
  ],
  deltaM: -1.5,
  improved: true,
  best: { value: 0.5, epoch: 0 },
} as const;

function capture(isTty: boolean, quiet = false) {
  let clock = 0;
  const out: string[] = [];
  const report = progressReporter({
    write: (t) => out.push(t),
    isTty,
    quiet,
    linesPerEpoch: 2,
    now: () => clock,
  });
  return { out, report, tick: (ms: number) => (clock += ms) };
}

describe('progressReporter', () => {
  it('plain lines now and then, with losses per task and an ETA', () => {
    const { out, report, tick } = capture(false);
    report(start);
    for (let b = 1; b <= 4; b++) {
      tick(1000);
      report(step(b, b));
    }
    report(epoch);
    expect(out.join('')).toBe(
      'training 2 task(s) [rel, pr], 2 epochs x 4 batches\n' +
        'epoch 1/2 batch 2/4 loss rel 1.5000  pr 0.2500 ETA 00:06\n' +
        'epoch 1/2 batch 4/4 loss rel 1.5000  pr 0.2500 ETA 00:04\n' +
        'epoch 1/2 train loss rel 1.2500  pr 0.5000\n  vali rel ndcg@10 0.5000  pr ndcg@10 0.2500  delta_m -1.50%  (best)\n',
    );
  });

  it('a bar redrawn in place on a TTY', () => {
    const { out, report, tick } = capture(true);
    report(start);
    tick(500);
    report(step(1, 1));
    expect(out[1]).toBe(
      '\r\x1b[2Kepoch 1/2 batch 1/4 [#####...............] loss rel 1.5000  pr 0.2500  ETA 00:04',
    );
    report(epoch);
    expect(out[2]).toBe('\n');
  });

  it('quiet: only the test table', () => {
    const { out, report } = capture(false, true);
    report(start);
    report(step(1, 4));
    report(epoch);
    report({ type: 'test', results: [{ task: 'rel', loss: 1.25, metrics: { 'ndcg@10': 0.75 } }] });
    expect(out.join('')).toBe('test\ntask  ndcg@10  loss\n----  -------  ------\nrel   0.7500   1.2500\n');
  });
});

describe('formatEvaluation', () => {
  it('one row per task, one column per metric', () => {
    expect(
      formatEvaluation([
        { task: 'relevance', metrics: { 'ndcg@5': 0.5, 'ndcg@10': 0.625 } },
        { task: 'pr', metrics: { 'ndcg@5': 0.25, 'ndcg@10': 1 } },
      ]),
    ).toBe(
      'task       ndcg@5  ndcg@10\n---------  ------  -------\nrelevance  0.5000  0.6250\npr         0.2500  1.0000',
    );
  });
});
