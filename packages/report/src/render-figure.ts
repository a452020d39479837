import { Resvg } from '@resvg/resvg-js';
import { parse, type Spec, View } from 'vega';
import { compile } from 'vega-lite';
import type { Figure } from './figure.js';

/** A figure compiled to Vega and drawn: the SVG text and a PNG of it. */
export interface RenderedFigure {
  figure: Figure;
  /** The compiled Vega spec (the page embeds it for tooltips). */
  vegaSpec: Spec;
  svg: string;
  png: Uint8Array;
}

/** PNGs are drawn at twice the SVG's size so they stay sharp on high-density screens and in slides. */
const PNG_ZOOM = 2;

/** Compiles the Vega-Lite spec, renders it headless (no browser, no canvas) to SVG, and the SVG to PNG. */
export async function renderFigure(figure: Figure): Promise<RenderedFigure> {
  const vegaSpec = compile(figure.spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return { figure, vegaSpec, svg, png: new Uint8Array(png) };
}
