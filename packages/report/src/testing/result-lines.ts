import type { FailureLine, ResultLine } from '@mtl2r/sweep';

/**
 * A results.jsonl line with given per-task test values of ndcg@10 (and ndcg@5 a tenth lower), for unit tests
 * of figure data; the browser test reports a really trained sweep.
 */
export function resultLine(
  id: string,
  method: string,
  values: Record<string, number>,
  extra: Partial<ResultLine> = {},
): ResultLine {
  const test = Object.entries(values).map(([task, value]) => ({
    task,
    metrics: { 'ndcg@10': value, 'ndcg@5': value - 0.1 },
  }));
  return {
    id,
    method,
    strategy: method,
    options: {},
    seed: 1,
    status: 'completed',
    test,
    validation: test,
    parameters: 100,
    steps: 10,
    epochs: 1,
    wallSeconds: 1,
    resumed: false,
    host: 'test',
    runDir: `runs/${method}-${id}`,
    finishedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

export function failureLine(id: string, method: string, extra: Partial<FailureLine> = {}): FailureLine {
  return {
    id,
    method,
    strategy: method,
    options: {},
    seed: 1,
    runDir: `runs/${method}-${id}`,
    error: 'loss is NaN at step 3\n  at trainStep',
    attempts: 2,
    failedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}
