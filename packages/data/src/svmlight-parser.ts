import { DataError } from '@mtl2r/core';
import { NumberScanner } from './parse-number.js';

export interface SvmlightParseOptions {
  /** The file's feature count (largest 1-based id); inferred as the largest id seen when absent. */
  featureCount?: number;
  /** Labels must lie in [0, maxLabel]. */
  maxLabel?: number;
  /** Accept a qid that reappears after another one and regroup its documents (default: error). */
  regroup?: boolean;
}

/** Every column of a LETOR/svmlight file, before a data spec picks tasks and input columns. */
export interface SvmlightTable {
  source: string;
  /** Width of `features`: the declared or inferred feature count. */
  featureCount: number;
  queryIds: string[];
  /** Length Q+1. */
  queryOffsets: Int32Array;
  /** N x featureCount row-major; column j holds feature id j+1; absent features are 0. */
  features: Float32Array;
  /** The first column of each line (length N). */
  labels: Float32Array;
  /** The largest feature id present on any line (0 for none): less than `featureCount` when trailing columns are absent. */
  maxFeatureId: number;
}

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const HASH = 35;
const COLON = 58;
const latin1 = new TextDecoder('latin1');
/** Largest feature id accepted when the feature count is inferred rather than declared. */
export const MAX_INFERRED_FEATURES = 1_000_000;

/**
 * Incremental LETOR/svmlight parser: feed it byte chunks in order, then call finish(). It scans bytes in
 * place and writes straight into growing typed arrays; the only per-query allocation is the qid string.
 */
export class SvmlightParser {
  private readonly source: string;
  private readonly declaredFeatureCount: number | undefined;
  private readonly maxLabel: number | undefined;
  private readonly regroup: boolean;
  private readonly scanner = new NumberScanner();

  // Bytes of a line cut by the chunk boundary, kept until the next chunk arrives.
  private work = new Uint8Array(1 << 16);
  private carry = 0;

  private capacity = 0;
  private stride: number;
  private rows = 0;
  private features = new Float32Array(0);
  private labels = new Float32Array(0);
  private maxIndexSeen = 0;

  private lineNumber = 0;
  private queryIds: string[] = [];
  private queryStarts = new Int32Array(1024);
  private readonly queryIndexOf = new Map<string, number>();
  private firstLineOfQuery: number[] = [];
  private currentQid = new Uint8Array(64);
  private currentQidLength = -1;
  private currentQueryIndex = -1;
  private documentQuery: Int32Array | undefined;
  private regrouped = false;

  // Truncation heuristic: in a dense file every line has the same number of features.
  private firstLineFeatureCount = -1;
  private allLinesSameCount = true;
  private lastLineFeatureCount = 0;
  private bytesSeen = 0;
  private expectedBytes = 0;
  private reserved = false;
  // A UTF-8 byte-order mark may only open the file; it is skipped there.
  private atFileStart = true;

  constructor(source: string, options: SvmlightParseOptions = {}) {
    this.source = source;
    this.declaredFeatureCount = options.featureCount;
    this.maxLabel = options.maxLabel;
    this.regroup = options.regroup ?? false;
    this.stride = options.featureCount ?? 1;
    if (this.regroup) this.documentQuery = new Int32Array(0);
  }

  /** Total uncompressed size if known: lets the parser size its arrays once instead of growing them. */
  expectBytes(total: number): void {
    this.expectedBytes = total;
  }

  get linesRead(): number {
    return this.lineNumber;
  }

  push(chunk: Uint8Array): void {
    const needed = this.carry + chunk.length;
    if (needed > this.work.length) {
      const grown = new Uint8Array(Math.max(needed, this.work.length * 2));
      grown.set(this.work.subarray(0, this.carry));
      this.work = grown;
    }
    this.work.set(chunk, this.carry);
    let length = needed;
    if (this.atFileStart) {
      // Fewer than 3 bytes so far: wait for more before deciding whether they open a mark.
      if (!this.skipByteOrderMark(length)) {
        this.carry = length;
        return;
      }
      length = this.carry;
    }
    const lastNewline = this.work.lastIndexOf(NEWLINE, length - 1);
    if (lastNewline < 0) {
      this.carry = length;
      return;
    }
    this.parseLines(this.work, 0, lastNewline + 1);
    this.work.copyWithin(0, lastNewline + 1, length);
    this.carry = length - lastNewline - 1;
    this.bytesSeen += lastNewline + 1;
    if (!this.reserved && this.expectedBytes > 0 && this.rows > 0) this.reserveFromEstimate();
  }

  /** Parses the last line (which may lack a newline) and returns the table. */
  finish(): SvmlightTable {
    if (this.atFileStart) this.skipByteOrderMark(this.carry, true);
    if (this.carry > 0) {
      const end = this.carry;
      this.parseLines(this.work, 0, end, true);
      this.carry = 0;
      // A dense file whose unterminated last line has fewer features than every other line was cut.
      if (this.rows > 1 && this.allLinesSameCount && this.lastLineFeatureCount < this.firstLineFeatureCount) {
        throw new DataError(
          this.source,
          this.lineNumber,
          undefined,
          `the last line has ${this.lastLineFeatureCount} features where every other line has ${this.firstLineFeatureCount}, and the file does not end with a newline: the file looks truncated`,
        );
      }
    }
    if (this.rows === 0) {
      throw new DataError(
        this.source,
        undefined,
        undefined,
        "no data lines: expected lines like 'label qid:Q 1:value 2:value ...'",
      );
    }
    const width = this.declaredFeatureCount ?? this.maxIndexSeen;
    if (width === 0) {
      throw new DataError(
        this.source,
        undefined,
        undefined,
        "no features on any line: expected 'index:value' pairs after the qid",
      );
    }
    const n = this.rows;
    let features: Float32Array = this.features;
    if (width < this.stride) {
      // Forward in-place compaction is safe: row r's new start never passes its old start.
      for (let r = 1; r < n; r++) features.copyWithin(r * width, r * this.stride, r * this.stride + width);
    }
    features = shrink(features, n * width);
    const labels = shrink(this.labels, n);
    const queryCount = this.queryIds.length;
    let offsets: Int32Array;
    if (this.regrouped && this.documentQuery !== undefined) {
      const order = groupOrder(this.documentQuery.subarray(0, n), queryCount);
      permuteRows(features, width, order.order);
      permuteRows(labels, 1, order.order);
      offsets = order.offsets;
    } else {
      offsets = new Int32Array(queryCount + 1);
      offsets.set(this.queryStarts.subarray(0, queryCount));
      offsets[queryCount] = n;
    }
    return {
      source: this.source,
      featureCount: width,
      queryIds: this.queryIds,
      queryOffsets: offsets,
      features,
      labels,
      maxFeatureId: this.maxIndexSeen,
    };
  }

  /**
   * Drops a leading UTF-8 byte-order mark from the buffered bytes. Returns false while fewer than 3 bytes
   * have arrived (unless `final`), so a mark split across chunks is still recognised.
   */
  private skipByteOrderMark(length: number, final = false): boolean {
    const work = this.work;
    const couldBeMark =
      work[0] === 0xef && (length < 2 || work[1] === 0xbb) && (length < 3 || work[2] === 0xbf);
    if (length < 3 && couldBeMark && !final) return false;
    this.atFileStart = false;
    if (length >= 3 && couldBeMark) {
      work.copyWithin(0, 3, length);
      this.carry = length - 3;
      this.bytesSeen += 3;
    } else {
      this.carry = length;
    }
    return true;
  }

  private reserveFromEstimate(): void {
    this.reserved = true;
    const bytesPerRow = this.bytesSeen / this.rows;
    const estimate = Math.ceil((this.expectedBytes / bytesPerRow) * 1.03) + 16;
    if (estimate > this.capacity) this.growRows(estimate);
  }

  private growRows(minRows: number): void {
    let capacity = Math.max(
      minRows,
      this.capacity < 1 << 20 ? this.capacity * 2 : Math.ceil(this.capacity * 1.25),
      256,
    );
    if (capacity * this.stride > 2 ** 32 - 1)
      capacity = Math.max(minRows, Math.floor((2 ** 32 - 1) / this.stride));
    const features = new Float32Array(capacity * this.stride);
    features.set(this.features.subarray(0, this.rows * this.stride));
    this.features = features;
    const labels = new Float32Array(capacity);
    labels.set(this.labels.subarray(0, this.rows));
    this.labels = labels;
    if (this.documentQuery !== undefined) {
      const documentQuery = new Int32Array(capacity);
      documentQuery.set(this.documentQuery.subarray(0, this.rows));
      this.documentQuery = documentQuery;
    }
    this.capacity = capacity;
  }

  /** Re-lays the rows out with a wider stride; `rows` includes the row being filled. */
  private widen(index: number, rows: number): void {
    const stride = Math.max(index, Math.ceil(this.stride * 1.5));
    const features = new Float32Array(this.capacity * stride);
    for (let r = 0; r < rows; r++) {
      features.set(this.features.subarray(r * this.stride, r * this.stride + this.stride), r * stride);
    }
    this.features = features;
    this.stride = stride;
  }

  private fail(lineStart: number, at: number, message: string, lastUnterminated: boolean): never {
    const suffix = lastUnterminated
      ? ' (the file does not end with a newline: the last line may be truncated)'
      : '';
    throw new DataError(this.source, this.lineNumber, at - lineStart + 1, message + suffix);
  }

  private token(bytes: Uint8Array, start: number, lineEnd: number): string {
    let end = start;
    while (end < lineEnd && bytes[end] !== SPACE && bytes[end] !== TAB && end - start < 40) end++;
    return latin1.decode(bytes.subarray(start, end));
  }

  private valueError(
    bytes: Uint8Array,
    lineStart: number,
    at: number,
    lineEnd: number,
    what: string,
    last: boolean,
  ): never {
    const text = this.token(bytes, at, lineEnd);
    const nonFinite = /^[+-]?(nan|inf|infinity)$/i.test(text);
    const problem = text === '' ? 'nothing' : `'${text}'`;
    return this.fail(
      lineStart,
      at,
      `${what}: expected a finite number, got ${nonFinite ? `non-finite ${problem}` : problem}`,
      last,
    );
  }

  private parseLines(bytes: Uint8Array, from: number, to: number, lastUnterminated = false): void {
    const scanner = this.scanner;
    const maxIndex = this.declaredFeatureCount ?? MAX_INFERRED_FEATURES;
    let lineStart = from;
    while (lineStart < to) {
      let lineEnd = bytes.indexOf(NEWLINE, lineStart);
      if (lineEnd < 0 || lineEnd >= to) lineEnd = to;
      const nextLine = lineEnd + 1;
      if (lineEnd > lineStart && bytes[lineEnd - 1] === CR) lineEnd--;
      this.lineNumber++;
      let p = lineStart;
      while (p < lineEnd && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
      if (p === lineEnd || bytes[p] === HASH) {
        lineStart = nextLine;
        continue;
      }
      const last = lastUnterminated;

      // label
      scanner.scan(bytes, p, lineEnd);
      if (!scanner.ok || !isSeparator(bytes, scanner.end, lineEnd))
        this.valueError(bytes, lineStart, p, lineEnd, 'label', last);
      const label = scanner.value;
      if (this.maxLabel !== undefined && (label < 0 || label > this.maxLabel)) {
        this.fail(
          lineStart,
          p,
          `label ${label} is outside the declared range: expected a value in [0, ${this.maxLabel}]`,
          last,
        );
      }
      p = scanner.end;
      while (p < lineEnd && (bytes[p] === SPACE || bytes[p] === TAB)) p++;

      // qid
      if (
        !(bytes[p] === 113 && bytes[p + 1] === 105 && bytes[p + 2] === 100 && bytes[p + 3] === COLON) ||
        p + 3 >= lineEnd
      ) {
        this.fail(
          lineStart,
          p,
          `expected 'qid:<id>' after the label, got ${p >= lineEnd || bytes[p] === HASH ? 'end of line' : `'${this.token(bytes, p, lineEnd)}'`}`,
          last,
        );
      }
      const qidStart = p + 4;
      let qidEnd = qidStart;
      while (qidEnd < lineEnd && bytes[qidEnd] !== SPACE && bytes[qidEnd] !== TAB && bytes[qidEnd] !== HASH)
        qidEnd++;
      if (qidEnd === qidStart) this.fail(lineStart, qidStart, "expected a query id after 'qid:'", last);
      if (!this.sameQid(bytes, qidStart, qidEnd)) this.startQuery(bytes, qidStart, qidEnd, lineStart, last);

      if (this.rows === this.capacity) this.growRows(this.rows + 1);
      const row = this.rows;
      this.labels[row] = label;
      if (this.documentQuery !== undefined) this.documentQuery[row] = this.currentQueryIndex;
      let stride = this.stride;
      let features = this.features;
      let rowBase = row * stride;

      // index:value pairs
      p = qidEnd;
      let previousIndex = 0;
      let count = 0;
      for (;;) {
        while (p < lineEnd && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
        if (p >= lineEnd || bytes[p] === HASH) break;
        const indexStart = p;
        let index = 0;
        while (p < lineEnd) {
          const d = (bytes[p] as number) - 48;
          if (d < 0 || d > 9) break;
          index = index * 10 + d;
          p++;
        }
        if (p === indexStart || bytes[p] !== COLON) {
          const text = this.token(bytes, indexStart, lineEnd);
          if (bytes[indexStart] === 45 && p === indexStart) {
            this.fail(
              lineStart,
              indexStart,
              `feature index in '${text}' is negative: expected a 1-based index >= 1`,
              last,
            );
          }
          this.fail(
            lineStart,
            indexStart,
            `expected 'index:value' with a positive integer index, got '${text}'`,
            last,
          );
        }
        // One comparison on the common path; the specific message is worked out only on failure.
        if (index === 0 || index > maxIndex || index <= previousIndex) {
          this.indexError(index, previousIndex, lineStart, indexStart, last);
        }
        previousIndex = index;
        p++;
        const valueStart = p;
        scanner.scan(bytes, p, lineEnd);
        if (!scanner.ok || !isSeparator(bytes, scanner.end, lineEnd)) {
          this.valueError(bytes, lineStart, valueStart, lineEnd, `feature ${index}`, last);
        }
        p = scanner.end;
        if (index > stride) {
          this.widen(index, row + 1);
          stride = this.stride;
          features = this.features;
          rowBase = row * stride;
        }
        features[rowBase + index - 1] = scanner.value;
        count++;
      }
      // Indices are strictly increasing, so the line's last index is its largest.
      if (previousIndex > this.maxIndexSeen) this.maxIndexSeen = previousIndex;
      if (this.firstLineFeatureCount < 0) this.firstLineFeatureCount = count;
      else if (!lastUnterminated && count !== this.firstLineFeatureCount) this.allLinesSameCount = false;
      this.lastLineFeatureCount = count;
      this.rows++;
      lineStart = nextLine;
    }
  }

  private indexError(
    index: number,
    previousIndex: number,
    lineStart: number,
    at: number,
    last: boolean,
  ): never {
    if (index === 0) this.fail(lineStart, at, 'feature index 0: indices are 1-based (expected >= 1)', last);
    if (this.declaredFeatureCount !== undefined && index > this.declaredFeatureCount) {
      this.fail(
        lineStart,
        at,
        `feature index ${index} is out of range: expected 1..${this.declaredFeatureCount}`,
        last,
      );
    }
    if (index > MAX_INFERRED_FEATURES && this.declaredFeatureCount === undefined) {
      // A stray huge id would otherwise allocate an absurd dense matrix.
      this.fail(
        lineStart,
        at,
        `feature index ${index} is too large to infer the feature count: expected at most ${MAX_INFERRED_FEATURES} (declare featureCount to allow more)`,
        last,
      );
    }
    const problem =
      index === previousIndex
        ? `duplicated feature index ${index}`
        : `feature index ${index} after ${previousIndex}`;
    return this.fail(lineStart, at, `${problem}: expected strictly increasing indices on a line`, last);
  }

  private sameQid(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (length !== this.currentQidLength) return false;
    const qid = this.currentQid;
    for (let i = 0; i < length; i++) if (qid[i] !== bytes[start + i]) return false;
    return true;
  }

  private startQuery(bytes: Uint8Array, start: number, end: number, lineStart: number, last: boolean): void {
    // The format (and every other reader: RankLib, LightGBM, allRank) requires an integer query id.
    for (let i = start; i < end; i++) {
      const d = (bytes[i] as number) - 48;
      if (d < 0 || d > 9) {
        this.fail(
          lineStart,
          start,
          `query id '${this.token(bytes, start, end)}' is not an integer: expected 'qid:<non-negative integer>'`,
          last,
        );
      }
    }
    const qid = latin1.decode(bytes.subarray(start, end));
    const seenIndex = this.queryIndexOf.get(qid);
    if (seenIndex !== undefined) {
      const firstLine = this.firstLineOfQuery[seenIndex];
      if (!this.regroup) {
        const previous = this.queryIds[this.currentQueryIndex] as string;
        this.fail(
          lineStart,
          start,
          `qid ${qid} reappears after qid ${previous}; it was first seen at line ${firstLine}: documents of a query must be contiguous (expected a new qid, or set regroup: true)`,
          last,
        );
      }
      this.regrouped = true;
      this.currentQueryIndex = seenIndex;
    } else {
      const index = this.queryIds.length;
      this.queryIndexOf.set(qid, index);
      this.firstLineOfQuery.push(this.lineNumber);
      if (index + 1 >= this.queryStarts.length) {
        const grown = new Int32Array(this.queryStarts.length * 2);
        grown.set(this.queryStarts);
        this.queryStarts = grown;
      }
      this.queryStarts[index] = this.rows;
      this.queryIds.push(qid);
      this.currentQueryIndex = index;
    }
    const length = end - start;
    if (length > this.currentQid.length) this.currentQid = new Uint8Array(length * 2);
    this.currentQid.set(bytes.subarray(start, end));
    this.currentQidLength = length;
  }
}

function isSeparator(bytes: Uint8Array, at: number, lineEnd: number): boolean {
  if (at >= lineEnd) return true;
  const c = bytes[at];
  return c === SPACE || c === TAB || c === HASH;
}

/** A right-sized array: a view when little is wasted, a copy when the spare capacity is large. */
function shrink(array: Float32Array, length: number): Float32Array {
  if (array.length === length) return array;
  return length >= array.length * 0.8 ? array.subarray(0, length) : array.slice(0, length);
}

/** Stable order putting each query's documents together, queries in first-appearance order. */
function groupOrder(
  documentQuery: Int32Array,
  queryCount: number,
): { order: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(queryCount + 1);
  for (const q of documentQuery) (offsets[q + 1] as number)++;
  for (let q = 0; q < queryCount; q++) offsets[q + 1] = (offsets[q + 1] as number) + (offsets[q] as number);
  const next = offsets.slice(0, queryCount);
  const order = new Int32Array(documentQuery.length);
  documentQuery.forEach((q, row) => {
    order[(next[q] as number)++] = row;
  });
  return { order, offsets };
}

/** In place: row i becomes old row order[i], following cycles so only one spare row is needed. */
function permuteRows(data: Float32Array, width: number, order: Int32Array): void {
  const done = new Uint8Array(order.length);
  const spare = new Float32Array(width);
  for (let start = 0; start < order.length; start++) {
    if (done[start] || order[start] === start) continue;
    spare.set(data.subarray(start * width, start * width + width));
    let target = start;
    for (;;) {
      done[target] = 1;
      const from = order[target] as number;
      if (from === start) {
        data.set(spare, target * width);
        break;
      }
      data.copyWithin(target * width, from * width, from * width + width);
      target = from;
    }
  }
}
