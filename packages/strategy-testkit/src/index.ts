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
} from './checks.js';
export { describeStrategyConformance } from './describe-conformance.js';
export {
  createForSimulation,
  preferenceFor,
  type SimulationSetup,
  type StepRecord,
  simulatedLayout,
  simulateSteps,
  syntheticInputs,
  taskNamesFor,
} from './simulated-trainer.js';
