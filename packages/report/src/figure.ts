import type { TopLevelSpec } from 'vega-lite';

/** One figure of a report: a Vega-Lite spec holding its own data, rendered to SVG and PNG. */
export interface Figure {
  /** File name stem under figures/ and the element id in the page. */
  id: string;
  title: string;
  /** One sentence under the figure: what is plotted. */
  caption: string;
  spec: TopLevelSpec;
}

/** A table of the page: header and rows of already formatted cells. */
export interface Table {
  id: string;
  title: string;
  header: string[];
  rows: string[][];
}

/** Figures, tables and notes of one report, before rendering. */
export interface ReportContent {
  kind: 'run' | 'sweep';
  title: string;
  /** Lines under the title: the folder, the metric, the split. */
  subtitle: string[];
  figures: Figure[];
  tables: Table[];
  /** Preformatted text blocks (the summary exactly as the terminal prints it). */
  texts: { title: string; text: string }[];
  /** Things the reader should know: failed runs, missing baselines. */
  warnings: string[];
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Formats a number for a table cell (4 decimals; '-' when missing). */
export function cell(value: number | undefined, digits = 4): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}
