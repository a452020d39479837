import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResultLine } from '@mtl2r/sweep';
import { launchChromium } from '@mtl2r/test-chromium';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainTinySweep } from './testing/in-process-sweep.js';
import { type WrittenReport, writeReport } from './write-report.js';

const outputDir = join(dirname(dirname(fileURLToPath(import.meta.url))), 'test-output');
let work: string;
let sweepDir: string;
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mtl2r-report-browser-'));
  const { outDir, outcome } = await trainTinySweep(work);
  expect(outcome.failures).toEqual([]);
  sweepDir = outDir;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

function resultLines(): ResultLine[] {
  return readFileSync(join(sweepDir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ResultLine);
}

interface ShownFigure {
  id: string;
  interactive: boolean;
  marks: number;
  width: number;
}

/**
 * Every figure of the page: whether its live view replaced the static SVG, and its drawn data marks (Vega puts
 * each mark's items under a g.role-mark; axes, legends and titles are other roles).
 */
const SHOWN_FIGURES = `[...document.querySelectorAll('figure.report-figure')].map((figure) => {
  const chart = figure.querySelector('.chart');
  const svg = chart.querySelector('svg');
  const marks = [...chart.querySelectorAll('g.role-mark')].filter(
    (g) => g.closest('.role-axis, .role-legend, .role-title') === null,
  );
  return {
    id: figure.id.replace(/^figure-/, ''),
    interactive: chart.dataset.interactive === 'true',
    marks: marks.reduce((n, g) => n + g.querySelectorAll(':scope > path, :scope > line').length, 0),
    width: svg === null ? 0 : svg.getBoundingClientRect().width,
  };
})`;

/** Opens the page from disk and reads what a person would see: every figure and its drawn marks. */
async function openReport(
  report: WrittenReport,
  screenshot: string,
  hoverFigure?: string,
): Promise<{ figures: ShownFigure[]; problems: string[]; tables: number; tooltip?: string }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`network request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(report.page).href);
  // Every static figure is replaced by its live Vega view once the inlined runtime has drawn it. (The
  // in-page code is a string: this package compiles without the DOM library.)
  await page.waitForFunction(
    `[...document.querySelectorAll('.chart')].every((chart) => chart.dataset.interactive === 'true')`,
    undefined,
    { timeout: 30_000 },
  );
  const figures = (await page.evaluate(SHOWN_FIGURES)) as ShownFigure[];
  const tables = (await page.evaluate(`document.querySelectorAll('table.report-table').length`)) as number;
  let tooltip: string | undefined;
  if (hoverFigure !== undefined) {
    // Vega's default tooltip handler shows the hovered item's tooltip fields as its element's title.
    const chart = `#figure-${hoverFigure} .chart`;
    // A run's point, not a baseline rule drawn over it: the event goes to that point's element.
    const point = `${chart} g.mark-symbol.role-mark path[aria-label*="method: ls"]`;
    await page.dispatchEvent(point, 'pointermove');
    await page.dispatchEvent(point, 'mousemove');
    await page.waitForFunction(`document.querySelector('${chart} [title]') !== null`, undefined, {
      timeout: 5000,
    });
    tooltip = (await page.evaluate(
      `document.querySelector('${chart} [title]').getAttribute('title')`,
    )) as string;
  }
  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: join(outputDir, screenshot), fullPage: true });
  await page.close();
  return { figures, problems, tables, ...(tooltip === undefined ? {} : { tooltip }) };
}

describe('reports opened from disk in Debian Chromium', () => {
  it('a sweep report shows every Pareto figure and the hypervolume bars with marks, tooltips naming the run, and no console error', async () => {
    const report = await writeReport(sweepDir);
    const shown = await openReport(report, 'sweep-report.png', 'pareto-all');
    // The hovered point's tooltip names its run and shows its values as results.jsonl records them.
    const tooltip = Object.fromEntries(
      (shown.tooltip ?? '').split('\n').map((line) => line.split(': ') as [string, string]),
    );
    const hovered = resultLines().find((l) => l.runDir === tooltip['run directory']);
    expect(hovered?.method).toBe('ls');
    expect(tooltip.run).toBe(`[${hovered?.preference?.join(', ')}] seed 3`);
    for (const task of hovered?.test ?? [])
      expect(tooltip[`ndcg@10 ${task.task}`]).toBe(task.metrics['ndcg@10']?.toFixed(4));
    expect(shown.problems).toEqual([]);
    expect(shown.figures.map((f) => f.id)).toEqual(['pareto-all', 'pareto-ls', 'hypervolume']);
    for (const figure of shown.figures) {
      expect(figure.interactive).toBe(true);
      expect(figure.marks).toBeGreaterThan(0);
      expect(figure.width).toBeGreaterThan(100);
    }
    const marks = Object.fromEntries(shown.figures.map((f) => [f.id, f.marks]));
    // 5 runs as points (2 STL baselines, 3 ls rows) + the front line + 2 baseline rules; one bar per method
    expect(marks['pareto-all']).toBe(5 + 1 + 2);
    expect(marks.hypervolume).toBe(2);
    expect(shown.tables).toBe(2);
    for (const id of ['pareto-all', 'pareto-ls', 'hypervolume']) {
      expect(readFileSync(join(dirname(report.page), 'figures', `${id}.svg`), 'utf8')).toMatch(/^<svg /);
      expect(
        readFileSync(join(dirname(report.page), 'figures', `${id}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    }
  });

  it('a run report shows training loss, validation metrics, task weights and diagnostics, with marks', async () => {
    const run = resultLines().find((l) => l.method === 'ls') as ResultLine;
    const report = await writeReport(join(sweepDir, run.runDir), { out: join(work, 'run-report') });
    const shown = await openReport(report, 'run-report.png');
    expect(shown.problems).toEqual([]);
    expect(shown.figures.map((f) => f.id)).toEqual([
      'training-loss',
      'validation-metrics',
      'task-weights',
      'strategy-diagnostics',
    ]);
    for (const figure of shown.figures) {
      expect(figure.interactive).toBe(true);
      expect(figure.marks).toBeGreaterThan(0);
    }
    expect(shown.tables).toBe(1);
  });
});
