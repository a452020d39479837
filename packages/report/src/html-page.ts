import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ReportContent, Table } from './figure.js';
import type { RenderedFigure } from './render-figure.js';

/** Vega's browser build, inlined so the page needs no network for its tooltips. */
function vegaRuntime(): string {
  const main = createRequire(import.meta.url).resolve('vega');
  return readFileSync(join(dirname(main), 'vega.min.js'), 'utf8');
}

/**
 * Swaps each static SVG for a live Vega view of the same spec (tooltips with run, preference and values).
 * Without JavaScript the static SVGs stay; a failure is logged and leaves the static figure in place.
 */
const UPGRADE_SCRIPT = `(function () {
  if (typeof vega === 'undefined') return;
  var specs = JSON.parse(document.getElementById('mtl2r-vega-specs').textContent);
  document.querySelectorAll('.chart[data-figure]').forEach(function (chart) {
    var holder = document.createElement('div');
    var view = new vega.View(vega.parse(specs[Number(chart.dataset.figure)]), { renderer: 'svg', hover: true });
    view.initialize(holder);
    view.runAsync().then(function () {
      chart.replaceChildren(holder);
      chart.dataset.interactive = 'true';
    }, function (error) {
      console.error('figure ' + chart.dataset.figure + ': ' + error);
    });
  });
})();`;

const STYLE = `
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .subtitle { color: #555; margin: 0.1rem 0; }
.warnings { background: #fff4e5; border-left: 4px solid #f0a020; padding: 0.5rem 1rem; margin: 1rem 0; }
figure { margin: 2rem 0; } figcaption { color: #555; font-size: 0.9rem; }
.chart svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 2rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; }
nav a { margin-right: 1rem; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function tableHtml(table: Table): string {
  const head = `<tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
  return `<section id="table-${escapeHtml(table.id)}"><h2>${escapeHtml(table.title)}</h2>\n<table class="report-table">${head}\n${rows.join('\n')}</table></section>`;
}

/** The self-contained page: static SVGs inline, figure files linked, Vega inlined for interactivity. */
export function reportHtml(content: ReportContent, figures: readonly RenderedFigure[]): string {
  const figureHtml = figures.map(({ figure, svg }, index) => {
    const id = escapeHtml(figure.id);
    return `<figure id="figure-${id}" class="report-figure"><h2>${escapeHtml(figure.title)}</h2>
<div class="chart" data-figure="${index}">${svg}</div>
<figcaption>${escapeHtml(figure.caption)} <a href="figures/${id}.svg">SVG</a> <a href="figures/${id}.png">PNG</a></figcaption></figure>`;
  });
  const warnings =
    content.warnings.length === 0
      ? ''
      : `<div class="warnings"><ul>${content.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>`;
  const nav = [
    ...figures.map(
      ({ figure }) => `<a href="#figure-${escapeHtml(figure.id)}">${escapeHtml(figure.title)}</a>`,
    ),
    ...content.tables.map((t) => `<a href="#table-${escapeHtml(t.id)}">${escapeHtml(t.title)}</a>`),
  ];
  const texts = content.texts.map(
    (t) => `<section><h2>${escapeHtml(t.title)}</h2><pre>${escapeHtml(t.text)}</pre></section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(content.title)}</h1>
${content.subtitle.map((s) => `<p class="subtitle">${escapeHtml(s)}</p>`).join('\n')}
${warnings}
<nav>${nav.join(' ')}</nav>
${figureHtml.join('\n')}
${content.tables.map(tableHtml).join('\n')}
${texts.join('\n')}
<script type="application/json" id="mtl2r-vega-specs">${scriptJson(figures.map((f) => f.vegaSpec))}</script>
<script>${vegaRuntime()}</script>
<script>${UPGRADE_SCRIPT}</script>
</body>
</html>
`;
}
