import { ConfigError, Rng, type RngState } from '@mtl2r/core';
import { documentCount, type RankingSplit } from './ranking-split.js';
import { buildSlateBatch, type SlateBatch } from './slate-batch.js';

export interface TrainingBatcherOptions {
  /** Queries per batch. */
  batchSize: number;
  /** Longer lists are sampled down to this many documents (allRank: 240). */
  maxSlateLength: number;
  /** A seed or a generator to derive from (its state is not advanced). */
  seed: number | string | Rng;
  /** Shuffle the query order every epoch (default true). */
  shuffle?: boolean;
  /** Batch lists of similar length together so little padding is needed (default false). */
  bucketByLength?: boolean;
  /** Pad every slate to maxSlateLength as allRank does, instead of to the batch's longest list (default false). */
  padToMaxSlateLength?: boolean;
  /** Task whose labels > 0 mark relevant documents for re-drawing samples (default 0). */
  relevanceTask?: number;
}

/** Where a batcher stands: enough to resume on the exact next batch after a checkpoint. */
export interface BatcherPosition {
  epoch: number;
  /** Batches of this epoch already handed out. */
  cursor: number;
  rng: RngState;
}

const MAX_REDRAWS = 10;

/**
 * Training batches: per epoch a seeded query order (optionally bucketed by length), lists longer than
 * maxSlateLength sampled without replacement (re-drawn if the sample lost every relevant document while
 * the query has some). Every epoch and batch draws from its own derived stream, so the position is just
 * (epoch, cursor) plus the base generator's state.
 */
export class TrainingBatcher {
  private readonly split: RankingSplit;
  private readonly batchSize: number;
  private readonly maxSlateLength: number;
  private readonly shuffle: boolean;
  private readonly bucketByLength: boolean;
  private readonly padToMax: boolean;
  private readonly relevanceTask: number;
  private rng: Rng;
  private epochNumber = 0;
  private cursor = 0;
  private plan: Int32Array[] | undefined;

  constructor(split: RankingSplit, options: TrainingBatcherOptions) {
    const issues = [];
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
      issues.push({ path: 'batchSize', message: `expected an integer >= 1, got ${options.batchSize}` });
    if (!Number.isInteger(options.maxSlateLength) || options.maxSlateLength < 1) {
      issues.push({
        path: 'maxSlateLength',
        message: `expected an integer >= 1, got ${options.maxSlateLength}`,
      });
    }
    const relevanceTask = options.relevanceTask ?? 0;
    if (!Number.isInteger(relevanceTask) || relevanceTask < 0 || relevanceTask >= split.taskNames.length) {
      issues.push({
        path: 'relevanceTask',
        message: `expected a task index in 0..${split.taskNames.length - 1}, got ${relevanceTask}`,
      });
    }
    if (split.queryIds.length === 0)
      issues.push({ path: '', message: `split ${split.source} has no queries` });
    if (issues.length > 0) throw new ConfigError('Invalid training batcher options', issues);
    this.split = split;
    this.batchSize = options.batchSize;
    this.maxSlateLength = options.maxSlateLength;
    this.shuffle = options.shuffle ?? true;
    this.bucketByLength = options.bucketByLength ?? false;
    this.padToMax = options.padToMaxSlateLength ?? false;
    this.relevanceTask = relevanceTask;
    this.rng =
      options.seed instanceof Rng ? options.seed.derive('batcher') : new Rng(options.seed).derive('batcher');
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.split.queryIds.length / this.batchSize);
  }

  get epoch(): number {
    return this.epochNumber;
  }

  position(): BatcherPosition {
    return { epoch: this.epochNumber, cursor: this.cursor, rng: this.rng.state() };
  }

  restore(position: BatcherPosition): void {
    if (
      !Number.isInteger(position.epoch) ||
      position.epoch < 0 ||
      !Number.isInteger(position.cursor) ||
      position.cursor < 0 ||
      position.cursor > this.batchesPerEpoch
    ) {
      throw new ConfigError('Invalid batcher position', [
        {
          path: 'cursor',
          message: `expected epoch >= 0 and cursor in 0..${this.batchesPerEpoch}, got epoch ${position.epoch}, cursor ${position.cursor}`,
        },
      ]);
    }
    this.rng = Rng.fromState(position.rng);
    this.epochNumber = position.epoch;
    this.cursor = position.cursor;
    this.plan = undefined;
  }

  /** The next batch of the current epoch, or null when the epoch is done (the next call starts a new epoch). */
  nextBatch(): SlateBatch | null {
    const plan = this.epochPlan();
    if (this.cursor >= plan.length) {
      this.epochNumber++;
      this.cursor = 0;
      this.plan = undefined;
      return null;
    }
    const queries = plan[this.cursor] as Int32Array;
    const rng = this.rng.derive(`epoch:${this.epochNumber}/batch:${this.cursor}`);
    this.cursor++;
    const documents = Array.from(queries, (q) => this.sampleDocuments(q, rng));
    let slateLength = this.padToMax ? this.maxSlateLength : 0;
    if (!this.padToMax)
      for (const q of queries)
        slateLength = Math.max(slateLength, Math.min(this.queryLength(q), this.maxSlateLength));
    return buildSlateBatch(this.split, queries, documents, slateLength);
  }

  /** The remaining batches of the current epoch. */
  *epochBatches(): Generator<SlateBatch> {
    for (let batch = this.nextBatch(); batch !== null; batch = this.nextBatch()) yield batch;
  }

  private queryLength(q: number): number {
    return (this.split.queryOffsets[q + 1] as number) - (this.split.queryOffsets[q] as number);
  }

  private epochPlan(): Int32Array[] {
    if (this.plan !== undefined) return this.plan;
    const rng = this.rng.derive(`epoch:${this.epochNumber}`);
    const order = Array.from({ length: this.split.queryIds.length }, (_, q) => q);
    if (this.shuffle) rng.shuffle(order);
    if (this.bucketByLength) {
      // Stable sort after the shuffle: equal lengths stay in random order.
      const length = (q: number): number => Math.min(this.queryLength(q), this.maxSlateLength);
      order.sort((a, b) => length(a) - length(b));
    }
    const plan: Int32Array[] = [];
    for (let first = 0; first < order.length; first += this.batchSize)
      plan.push(Int32Array.from(order.slice(first, first + this.batchSize)));
    if (this.bucketByLength && this.shuffle) rng.shuffle(plan);
    this.plan = plan;
    return plan;
  }

  /** All documents when the list fits, else a sorted sample of maxSlateLength that keeps a relevant one if any. */
  private sampleDocuments(q: number, rng: Rng): Int32Array | undefined {
    const length = this.queryLength(q);
    const m = this.maxSlateLength;
    if (length <= m) return undefined;
    const start = this.split.queryOffsets[q] as number;
    const relevance = this.split.labels.subarray(this.relevanceTask * documentCount(this.split));
    const isRelevant = (within: number): boolean => (relevance[start + within] as number) > 0;
    let hasRelevant = false;
    for (let i = 0; i < length && !hasRelevant; i++) hasRelevant = isRelevant(i);
    const pool = Int32Array.from({ length }, (_, i) => i);
    let sample = pool.subarray(0, m);
    for (let attempt = 0; attempt <= MAX_REDRAWS; attempt++) {
      for (let i = 0; i < m; i++) {
        const j = i + rng.int(length - i);
        const tmp = pool[i] as number;
        pool[i] = pool[j] as number;
        pool[j] = tmp;
      }
      sample = pool.subarray(0, m);
      if (!hasRelevant || sample.some(isRelevant)) break;
      if (attempt === MAX_REDRAWS) {
        // Rare (few relevant among very many): swap one relevant document in.
        const relevantOutside = Array.from(pool.subarray(m)).filter(isRelevant);
        sample[rng.int(m)] = relevantOutside[rng.int(relevantOutside.length)] as number;
      }
    }
    return Int32Array.from(sample).sort();
  }
}
