import { mamoPlugin } from './mamo.js';

export { blockColumnRanges, blockPairCosines, taskPairs } from './block-conflicts.js';
export { ConflictStatistics } from './conflict-statistics.js';
export { type GrowthPlan, type PlannedModule, planGrowth, type ThresholdComparison } from './growth-plan.js';
export { mamoPlugin } from './mamo.js';
export { type MamoOptions, mamoOptions } from './options.js';
export default mamoPlugin;
