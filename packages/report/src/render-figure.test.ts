import { summariseSweep } from '@mtl2r/sweep';
import { describe, expect, it } from 'vitest';
import { paretoPoints } from './pareto-data.js';
import { renderFigure } from './render-figure.js';
import { hypervolumeFigure, paretoFigures } from './sweep-figures.js';
import { resultLine } from './testing/result-lines.js';

/** Width and height of a PNG from its IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
}

/** The symbols Vega drew: one path per point under the symbol marks' groups. */
function symbolCount(svg: string): number {
  return [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].reduce(
    (n, m) => n + ((m[1] as string).match(/<path /g)?.length ?? 0),
    0,
  );
}

describe('rendering a figure without a browser', () => {
  it('a three-task sweep: a 3 x 3 scatter matrix with every run in every panel; PNG at twice the size', async () => {
    const lines = [
      resultLine('a', 'ls', { x: 0.1, y: 0.5, z: 0.3 }),
      resultLine('b', 'ls', { x: 0.3, y: 0.2, z: 0.1 }),
      resultLine('c', 'mgda', { x: 0.2, y: 0.4, z: 0.6 }),
    ];
    const summary = summariseSweep(lines, 'ndcg@10', 'test');
    const [all] = paretoFigures(paretoPoints(lines, summary), summary);
    if (all === undefined) throw new Error('no figure');
    const drawn = await renderFigure(all);
    expect(symbolCount(drawn.svg)).toBe(3 * 9); // every run in each of the 9 panels (legend symbols are another role)
    for (const task of ['x', 'y', 'z']) expect(drawn.svg).toContain(`ndcg@10 ${task}`);
    const svg = svgSize(drawn.svg);
    expect(pngSize(drawn.png)).toEqual({ width: 2 * svg.width, height: 2 * svg.height });
  });

  it('hypervolume bars: one rect per method, labelled', async () => {
    const lines = [resultLine('a', 'ls', { x: 0.5, y: 0.5 }), resultLine('b', 'pcgrad', { x: 0.4, y: 0.6 })];
    const drawn = await renderFigure(hypervolumeFigure(summariseSweep(lines, 'ndcg@10', 'test')));
    const bars = /<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(drawn.svg)?.[1] ?? '';
    expect(bars.match(/<path /g)).toHaveLength(2);
    expect(drawn.svg).toContain('>pcgrad<');
    expect(drawn.vegaSpec.marks?.length).toBeGreaterThan(0);
  });
});
