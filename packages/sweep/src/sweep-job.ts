import type { TrainConfig } from '@mtl2r/trainer';

/** What a run of a sweep varies: enough to label it in results and summaries. */
export interface RunCoordinates {
  /** The method's name in the summary (`ls`, `pcgrad`, `stl`, or the entry's label). */
  method: string;
  strategy: string;
  options: Record<string, unknown>;
  preference?: number[];
  epsilon?: number | number[];
  seed: number;
  /** Set on the automatic single-task baselines: the task they train. */
  baselineTask?: string;
}

/** One run of a sweep: its identity, coordinates and the resolved training config it trains. */
export interface SweepJob extends RunCoordinates {
  /** Hash of `config` (runId). */
  id: string;
  /** The resolved training config (absolute paths). */
  config: TrainConfig;
  /** The run directory, absolute as the coordinator sees it. */
  runDir: string;
  /** The run directory relative to the sweep folder (for workers that mount it elsewhere). */
  runPath: string;
}

/** Per-task evaluation as the trainer reports it. */
export interface TaskMetrics {
  task: string;
  loss?: number;
  metrics: Record<string, number>;
}

/** What a worker sends back when a run finished: it travels through IPC or the queue as JSON. */
export interface RunSummary {
  id: string;
  status: 'completed' | 'early-stopped';
  /** The last validation results. */
  validation?: TaskMetrics[];
  /** Test results of the best checkpoint. */
  test?: TaskMetrics[];
  parameters: number;
  steps: number;
  epochs: number;
  /** Wall-clock seconds of this attempt (a resumed run counts only the resumed part). */
  wallSeconds: number;
  /** True when the run continued from a checkpoint. */
  resumed: boolean;
  /** Host that ran it. */
  host: string;
}
