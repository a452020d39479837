/**
 * `@mtl2r/data/browser`: the parts of the data package with no Node APIs in their import graph (parsing
 * svmlight text from bytes, the data spec, shaping and transforming splits, evaluation batches), for the
 * browser ranker and any bundle that must not pull in node:fs.
 */
export {
  type DataSpec,
  type DataSpecInput,
  dataSpecSchema,
  parseDataSpec,
  type TaskSpec,
} from './data-spec.js';
export { applyDataTransform, type DataTransform } from './data-transform.js';
export {
  assertTaskColumnsPresent,
  describeMissingFeatures,
  type MissingColumns,
  missingColumns,
} from './missing-columns.js';
export { documentCount, queryCount, type RankingSplit, taskLabels } from './ranking-split.js';
export { shapeSplit } from './shape-split.js';
export { type SvmlightParseOptions, SvmlightParser, type SvmlightTable } from './svmlight-parser.js';
