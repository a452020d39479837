import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, metricRecords, type TinyData, writeTinyConfig, writeTinyData } from './train-fixtures.js';

// A metric plugin named in evaluation.metrics: trained with, logged, watched by early stopping (lower is
// better), recorded so that `mtl2r eval` and `--resume` load it again; bad entries are clean exit-2 errors.
const missesPlugin = `const schema = { '~standard': { version: 1, vendor: 't', validate: (value) => ({ value }) } };
export default {
  name: 'misses', contractVersion: 1, options: schema, higherIsBetter: false, range: [0, 1], noRelevant: 'skip',
  perQuery(query, k) {
    if (!query.order.some((i) => query.labels[i] > 0)) return Number.NaN;
    const cut = Math.min(k, query.order.length);
    let misses = 0;
    for (let p = 0; p < cut; p++) if (query.labels[query.order[p]] <= 0) misses++;
    return misses / cut;
  },
};
`;
let dir: string;
let data: TinyData;
let run: string;
const pluginEntry = '{ name: misses, k: 3, plugin: ./plugins/misses.mjs }';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-metric-plugin-'));
  data = writeTinyData(dir);
  mkdirSync(join(dir, 'plugins'));
  writeFileSync(join(dir, 'plugins', 'misses.mjs'), missesPlugin);
  const config = writeTinyConfig(dir, 'misses.yaml', data, 'earlyStopping: { metric: misses@3 }\n', [
    'ndcg@5',
    pluginEntry,
  ]);
  run = join(dir, 'runs', 'misses');
  const { code, err } = await cli(dir, 'train', '-c', config, '--out', run, '--quiet');
  expect(err).toBe('');
  expect(code).toBe(0);
});

describe('a metric plugin in evaluation.metrics', () => {
  it('is logged per task on vali and test, and the run records its plugin file absolute', () => {
    const values = metricRecords(run).filter((r) => r.metric === 'misses@3');
    expect(values.map((r) => `${r.split} ${r.task}`)).toEqual([
      'vali relevance',
      'vali pagerank',
      'vali relevance',
      'vali pagerank',
      'test relevance',
      'test pagerank',
    ]);
    for (const r of values) expect(r.value).toBeGreaterThanOrEqual(0);
    for (const r of values) expect(r.value).toBeLessThanOrEqual(1);
    const recorded = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(recorded.evaluation.metrics[1]).toEqual({
      name: 'misses',
      k: 3,
      plugin: join(dir, 'plugins', 'misses.mjs'),
    });
    expect(recorded.earlyStopping.metric).toBe('misses@3');
  });

  it('early stopping keeps the epoch with the lowest value: the plugin says lower is better', () => {
    const watched = metricRecords(run).filter(
      (r) => r.metric === 'misses@3' && r.split === 'vali' && r.task === 'relevance',
    );
    const values = watched.map((r) => r.value as number);
    expect(new Set(values).size).toBe(2); // a real choice between the two epochs
    const best = JSON.parse(readFileSync(join(run, 'checkpoints/best/state.json'), 'utf8')).progress.best;
    expect(best).toEqual({ value: Math.min(...values), epoch: values.indexOf(Math.min(...values)) });
  });

  it('mtl2r eval computes it from the run directory, and --metrics can name it', async () => {
    const all = await cli(dir, 'eval', run, '--data', data.test, '--json');
    expect(all.err).toBe('');
    const tasks = JSON.parse(all.out).tasks as { task: string; metrics: Record<string, number> }[];
    const logged = metricRecords(run).filter((r) => r.split === 'test' && r.metric === 'misses@3');
    // The same best checkpoint and test file: the same numbers as the run logged.
    expect(tasks.map((t) => t.metrics['misses@3'])).toEqual(logged.map((r) => r.value));
    const named = await cli(dir, 'eval', run, '--data', data.test, '--metrics', 'misses@1,ndcg@1', '--json');
    expect(Object.keys((JSON.parse(named.out).tasks as { metrics: object }[])[0]?.metrics ?? {})).toEqual([
      'misses@1',
      'ndcg@1',
    ]);
  });

  it('a resumed run loads the plugin again and ends as the uninterrupted run', async () => {
    const copy = join(dir, 'runs', 'resumed');
    cpSync(run, copy, { recursive: true });
    // Back to the end of epoch 1: epoch 2 is trained again on resume.
    rmSync(join(copy, 'checkpoints/last'), { recursive: true });
    renameSync(join(copy, 'checkpoints/last.previous'), join(copy, 'checkpoints/last'));
    const { code, err } = await cli(dir, 'train', '--resume', copy, '--quiet');
    expect(err).toBe('');
    expect(code).toBe(0);
    const weights = (r: string) => readFileSync(join(r, 'checkpoints/last/model/weights.bin'));
    expect(weights(copy).equals(weights(run))).toBe(true);
  });

  async function refuse(metrics: string[], message: RegExp): Promise<void> {
    const config = writeTinyConfig(dir, 'bad.yaml', data, '', metrics);
    const { code, err } = await cli(dir, 'train', '-c', config, '--out', join(dir, 'runs', 'bad'));
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  }

  it('refuses an unknown name, a plugin that does not load and a plugin of another name, at their config paths', async () => {
    await refuse(
      ['ndcg@5', 'rbp@10'],
      /evaluation\.metrics\[1\]: got "rbp@10"; expected one of ndcg, ndcg@k, /,
    );
    await refuse(
      ['ndcg@5', '{ name: misses, plugin: ./plugins/gone.mjs }'],
      /evaluation\.metrics\[1\]\.plugin: metric plugin file not found: .*gone\.mjs/,
    );
    await refuse(
      ['ndcg@5', '{ name: rbp, plugin: mtl2r-metric-rbp }'],
      /evaluation\.metrics\[1\]\.plugin: metric 'mtl2r-metric-rbp' is not installed/,
    );
    await refuse(
      ['ndcg@5', '{ name: rbp, plugin: ./plugins/misses.mjs }'],
      /evaluation\.metrics\[1\]\.name: file .*misses\.mjs provides metric 'misses', not 'rbp'/,
    );
  });
});
