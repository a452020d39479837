import type { TaskEvaluation } from './evaluate.js';
import type { GrownArchitecture } from './grown-architecture.js';

/** What `train` reports as it goes (progress bars, logs). */
export type TrainingEvent =
  | {
      type: 'start';
      taskNames: readonly string[];
      epochs: number;
      batchesPerEpoch: number;
      step: number;
      epoch: number;
      resumed: boolean;
    }
  | {
      type: 'step';
      step: number;
      epoch: number;
      batch: number;
      batches: number;
      losses: Float32Array;
      learningRate: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      trainLosses: Float32Array;
      validation?: readonly TaskEvaluation[];
      deltaM?: number;
      improved: boolean;
      best: { value: number; epoch: number } | null;
    }
  | { type: 'checkpoint'; which: 'best' | 'last'; dir: string; step: number }
  | { type: 'test'; results: readonly TaskEvaluation[] }
  /** A model-growing strategy grew the ranker; `file` is the run directory's architecture.json. */
  | { type: 'architecture'; architecture: GrownArchitecture; file: string }
  /** Something the user should know that does not stop the run (degenerate data, a lock taken over). */
  | { type: 'warning'; message: string }
  /** Information about how the config was applied (e.g. a preference the strategy does not use, dropped). */
  | { type: 'note'; message: string };

export type EmitEvent = (event: TrainingEvent) => void;
