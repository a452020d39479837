export type { Figure, ReportContent, Table } from './figure.js';
export { escapeHtml, reportHtml } from './html-page.js';
export { baselineValues, type ParetoPoint, paretoPoints, runLabel } from './pareto-data.js';
export { type RenderedFigure, renderFigure } from './render-figure.js';
export {
  deltaMRows,
  diagnosticRows,
  type EpochRow,
  finishedEpochs,
  grownModulesFigure,
  runFigures,
  type StepRow,
  trainingLossRows,
  validationRows,
  weightRows,
} from './run-figures.js';
export { type GrownModule, isRunDirectory, parseMetricsLines, type RunLog, readRunLog } from './run-log.js';
export { runReportContent } from './run-report.js';
export { hypervolumeFigure, paretoFigures, plottedRows, taskField } from './sweep-figures.js';
export { isSweepFolder, readSweepFolder, type SweepFolder } from './sweep-folder.js';
export { sweepReportContent } from './sweep-report.js';
export { type ReportOptions, reportContent, type WrittenReport, writeReport } from './write-report.js';
