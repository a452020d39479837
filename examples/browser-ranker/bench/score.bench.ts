/**
 * Documents scored per second in the page (Debian Chromium, the built example) against `mtl2r predict`'s
 * path in Node on the same trained model and the whole bundled MQ2008 test split, plus the size of the
 * @mtl2r/browser bundle. Run: pnpm --filter @mtl2r/example-browser-ranker bench
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { selectBackend } from '@mtl2r/backend';
import { launchChromium } from '@mtl2r/test-chromium';
import { loadTrainedModel, predictFile } from '@mtl2r/trainer';
import { build as esbuild } from 'esbuild';
import { build } from 'vite';
import { serveDirectory } from '../src/static-server.js';
import { trainRun } from '../src/train-run.js';

const exampleDir = dirname(dirname(fileURLToPath(import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'mtl2r-browser-bench-'));
try {
  const { runDir: run, testFile } = await trainRun(work, {
    trainQueries: 64,
    testQueries: 156,
    epochs: 1,
    model: { modelDim: 128, blocks: 4, heads: 4, ffnDim: 512 },
  });

  // Node: the predict path (default backend), best of 3 after a warm-up.
  const picked = await selectBackend({});
  const model = await loadTrainedModel(run);
  let nodeSeconds = Number.POSITIVE_INFINITY;
  let documents = 0;
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    const { split } = await predictFile(model, testFile);
    if (i > 0) nodeSeconds = Math.min(nodeSeconds, (performance.now() - started) / 1000);
    documents = split.queryOffsets[split.queryOffsets.length - 1] as number;
  }
  model.dispose();

  // The page: the built example in Chromium, best of 3 re-scorings after the first.
  const dist = join(work, 'dist');
  await build({ root: exampleDir, logLevel: 'error', build: { outDir: dist, emptyOutDir: true } });
  const server = await serveDirectory(dist);
  const browser = await launchChromium();
  let pageRate = 0;
  let pageBackend = '';
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.backend !== undefined);
    pageBackend = (await page.getAttribute('body', 'data-backend')) ?? '';
    const dir = join(run, 'checkpoints', 'best', 'model');
    await page.setInputFiles('#model-files', [join(dir, 'model.json'), join(dir, 'weights.bin')]);
    for (let i = 0; i < 4; i++) {
      await page.setInputFiles('#queries', []);
      await page.evaluate(() => {
        (document.querySelector('#status') as HTMLElement).dataset.state = 'idle';
      });
      await page.setInputFiles('#queries', {
        name: 'test.txt',
        mimeType: 'text/plain',
        buffer: readFileSync(testFile),
      });
      await page.waitForSelector('#status[data-state="ready"]', { timeout: 600_000 });
      const rate = Number(await page.getAttribute('#status', 'data-documents-per-second'));
      if (i > 0) pageRate = Math.max(pageRate, rate);
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const bundle = await esbuild({
    entryPoints: [fileURLToPath(new URL('../../../packages/browser/src/index.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    minify: true,
    conditions: ['@mtl2r/source'],
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]?.contents ?? new Uint8Array();
  const nodeRate = documents / nodeSeconds;
  console.log(
    `\nScoring the bundled MQ2008 test split (${documents} documents, 156 queries), reference model d128 x 4 blocks, 2 task heads`,
  );
  console.log('| where | backend | documents/s | vs Node predict |');
  console.log('|---|---|---|---|');
  console.log(`| mtl2r predict (Node) | ${picked.name} | ${nodeRate.toFixed(0)} | 1.00 |`);
  console.log(
    `| browser page (Chromium) | ${pageBackend} | ${pageRate.toFixed(0)} | ${(pageRate / nodeRate).toFixed(2)} |`,
  );
  console.log(
    `\n@mtl2r/browser bundle (tfjs-core + wasm and cpu backends + mtl2r): ${(js.byteLength / 1024).toFixed(0)} KiB minified, ${(gzipSync(js).byteLength / 1024).toFixed(0)} KiB gzipped (+ the .wasm binary the page loads)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
