/** One logged value: `metrics.jsonl` holds one of these per line. */
export interface MetricRecord {
  metric: string;
  value: number;
  step?: number;
  epoch?: number;
  /** `train`, `vali`, `test`, ... */
  split?: string;
  task?: string;
}

/** Where training, evaluation and strategies log numbers. */
export interface MetricsSink {
  write(record: MetricRecord): void;
  /** Makes everything written so far durable. */
  flush(): void;
  close(): void;
}

/** Keeps records in memory (tests, in-process use). */
export class MemoryMetricsSink implements MetricsSink {
  readonly records: MetricRecord[] = [];

  write(record: MetricRecord): void {
    this.records.push({ ...record });
  }

  flush(): void {}

  close(): void {}
}

/** Drops everything. */
export const nullMetricsSink: MetricsSink = {
  write() {},
  flush() {},
  close() {},
};
