import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@mtl2r/test-chromium';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory } from './static-server.js';
import { trainRun } from './train-run.js';

const exampleDir = dirname(dirname(fileURLToPath(import.meta.url)));
const outputDir = join(exampleDir, 'test-output');
let work: string;
let runDir: string;
let testFile: string;
let browser: Browser;
let server: { url: string; close(): Promise<void> };

interface ShownRow {
  doc: number;
  scores: number[];
  combined: number;
}

async function shownTables(page: Page): Promise<{ qid: string; rows: ShownRow[] }[]> {
  return page.$$eval('#results table', (tables) =>
    tables.map((table) => ({
      qid: (table as HTMLTableElement).dataset.qid ?? '',
      rows: Array.from((table as HTMLTableElement).tBodies[0]?.rows ?? [], (row) => ({
        doc: Number(row.dataset.doc),
        scores: JSON.parse(row.dataset.scores ?? '[]') as number[],
        combined: Number(row.dataset.combined),
      })),
    })),
  );
}

async function setSliders(page: Page, values: number[]): Promise<void> {
  await page.$$eval(
    '#sliders input[type=range]',
    (inputs, wanted) => {
      inputs.forEach((input, k) => {
        (input as HTMLInputElement).value = String(wanted[k]);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    },
    values,
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mtl2r-browser-ranker-'));
  const trained = await trainRun(work, {
    trainQueries: 32,
    testQueries: 40,
    epochs: 2,
    model: { modelDim: 16, blocks: 1, heads: 2, ffnDim: 32 },
  });
  runDir = trained.runDir;
  testFile = trained.testFile;
  await trained.cli(['predict', runDir, '--data', testFile, '--out', join(work, 'scores.tsv')]);
  const dist = join(work, 'dist');
  await build({ root: exampleDir, logLevel: 'error', build: { outDir: dist, emptyOutDir: true } });
  server = await serveDirectory(dist);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the browser ranker page (Vite build, Debian Chromium)', () => {
  it('shows the same scores as `mtl2r predict` (1e-5), re-ranks when a slider moves, and logs no error', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.backend !== undefined);
    const model = join(runDir, 'checkpoints', 'best', 'model');
    await page.setInputFiles('#model-files', [join(model, 'model.json'), join(model, 'weights.bin')]);
    await page.setInputFiles('#queries', testFile);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });

    const expected = new Map<string, number[]>();
    for (const line of readFileSync(join(work, 'scores.tsv'), 'utf8').trim().split('\n').slice(1)) {
      const [qid, doc, ...scores] = line.split('\t');
      expected.set(`${qid}/${doc}`, scores.map(Number));
    }
    const tables = await shownTables(page);
    expect(tables).toHaveLength(40);
    let compared = 0;
    for (const table of tables) {
      for (const row of table.rows) {
        const reference = expected.get(`${table.qid}/${row.doc}`);
        expect(reference).toBeDefined();
        row.scores.forEach((score, h) => {
          expect(Math.abs(score - (reference?.[h] as number))).toBeLessThan(1e-5);
        });
        compared++;
      }
    }
    expect(compared).toBe(expected.size);

    await setSliders(page, [100, 0]);
    const byRelevance = await shownTables(page);
    await setSliders(page, [0, 100]);
    const byPagerank = await shownTables(page);
    for (const [tables, task] of [
      [byRelevance, 0],
      [byPagerank, 1],
    ] as const) {
      for (const table of tables) {
        table.rows.forEach((row, r) => {
          expect(row.combined).toBeCloseTo(row.scores[task] as number, 9);
          if (r > 0) expect(row.combined).toBeLessThanOrEqual((table.rows[r - 1] as ShownRow).combined);
        });
      }
    }
    const reordered = byRelevance.filter(
      (table, q) => table.rows.map((r) => r.doc).join() !== byPagerank[q]?.rows.map((r) => r.doc).join(),
    );
    expect(reordered.length).toBeGreaterThan(0);

    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, 'browser-ranker.png'), fullPage: false });
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('re-runs a preference-conditioned (pfl) model at the sliders, equal to mtl2r predict --preference', async () => {
    const conditioned = await trainRun(work, {
      name: 'pfl',
      strategy: 'pfl',
      trainQueries: 32,
      testQueries: 40,
      epochs: 1,
      model: { modelDim: 16, blocks: 1, heads: 2, ffnDim: 32, conditioning: 'input' },
    });
    await conditioned.cli([
      'predict',
      conditioned.runDir,
      '--data',
      testFile,
      '--preference',
      '0.2,0.8',
      '--out',
      join(work, 'pfl.tsv'),
    ]);
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.backend !== undefined);
    const model = join(conditioned.runDir, 'checkpoints', 'best', 'model');
    await page.setInputFiles('#model-files', [join(model, 'model.json'), join(model, 'weights.bin')]);
    await page.setInputFiles('#queries', testFile);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });
    expect(await page.getAttribute('body', 'data-conditioned')).toBe('true');
    const balanced = await shownTables(page);
    await setSliders(page, [20, 80]);
    const tables = await shownTables(page);
    const expected = new Map<string, number[]>();
    for (const line of readFileSync(join(work, 'pfl.tsv'), 'utf8').trim().split('\n').slice(1)) {
      const [qid, doc, ...scores] = line.split('\t');
      expected.set(`${qid}/${doc}`, scores.map(Number));
    }
    let changed = false;
    tables.forEach((table, q) => {
      for (const row of table.rows) {
        const reference = expected.get(`${table.qid}/${row.doc}`) ?? [];
        row.scores.forEach((score, h) => {
          expect(Math.abs(score - (reference[h] as number))).toBeLessThan(1e-5);
        });
        const before = balanced[q]?.rows.find((r) => r.doc === row.doc);
        if (before !== undefined && before.scores[0] !== row.scores[0]) changed = true;
      }
    });
    expect(changed).toBe(true); // the model itself was re-run, not only re-weighted
    await page.close();
  }, 120_000);

  it('names a bad input in the page like the CLI: a model folder missing weights.bin, a malformed line', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.backend !== undefined);
    await page.setInputFiles('#model-files', [join(runDir, 'checkpoints', 'best', 'model', 'model.json')]);
    await page.waitForSelector('#status[data-state="error"]');
    expect(await page.textContent('#status')).toContain('weights.bin: not found');
    const model = join(runDir, 'checkpoints', 'best', 'model');
    await page.setInputFiles('#model-files', [join(model, 'model.json'), join(model, 'weights.bin')]);
    await page.setInputFiles('#queries', {
      name: 'bad.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('0 qid:1 1:0.5\n1 qid:1 1:oops\n'),
    });
    await page.waitForSelector('#status[data-state="error"]');
    expect(await page.textContent('#status')).toMatch(/bad\.txt:2/);
    await page.close();
  }, 60_000);
});
