import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InternalError } from './errors.js';
import type { MetricRecord, MetricsSink } from './metrics-sink.js';

/**
 * Appends one JSON object per line to a file. Lines are buffered and appended whole, so a crash loses at
 * most the unflushed tail and never leaves half a line.
 */
export class JsonlMetricsSink implements MetricsSink {
  private buffer: string[] = [];
  private closed = false;

  constructor(
    readonly path: string,
    private readonly flushEvery = 256,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: MetricRecord): void {
    if (this.closed) throw new InternalError(`metrics sink ${this.path} is closed`);
    this.buffer.push(JSON.stringify(record));
    if (this.buffer.length >= this.flushEvery) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    appendFileSync(this.path, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }
}
