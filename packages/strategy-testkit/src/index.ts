// Metric plugins run their conformance suite from here too (it lives with the metrics it checks).
export { describeMetricConformance, type MetricConformanceOptions } from '@mtl2r/metrics/conformance';
export {
  type ConformanceCases,
  ConformanceError,
  checkDeterminism,
  checkDispose,
  checkNoLeaks,
  checkOptions,
  checkShapes,
  checkStateRoundTrip,
  checkWeightsSumToOne,
  type InvalidOptionsCase,
  type OptionsInput,
} from './checks.js';
export { combineOnRows, type RowsResult, type RowsStep, relativeError } from './combine-on-rows.js';
export { describeStrategyConformance } from './describe-conformance.js';
export {
  maxRelativeError,
  type ReferenceStep,
  replayCombinedGradients,
  weightedSum,
} from './reference-replay.js';
export { type PairModuleRecord, SimulatedGrowableModel } from './simulated-growable-model.js';
export {
  attachSimulatedModel,
  createForSimulation,
  preferenceFor,
  type SimulationSetup,
  type StepRecord,
  simulatedLayout,
  simulatedModelOf,
  simulateSteps,
  syntheticInputs,
  taskNamesFor,
} from './simulated-trainer.js';
