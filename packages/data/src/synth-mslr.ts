import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ConfigError, Rng } from '@mtl2r/core';

export interface SynthMslrOptions {
  queries: number;
  seed?: number;
  /** Documents per query are drawn log-normally around meanDocs and clipped to [minDocs, maxDocs]. */
  minDocs?: number;
  maxDocs?: number;
  meanDocs?: number;
}

export interface SynthMslrResult {
  queries: number;
  documents: number;
  /** Uncompressed bytes written. */
  bytes: number;
}

/** MSLR-WEB30K layout: 136 features; 132/133 quality scores, 134 click count, 136 dwell time. */
export const SYNTH_FEATURE_COUNT = 136;
// Thresholds on a N(0, 1.25) latent that give MSLR's grade mix (about 52/32/13/2/1 % for grades 0..4).
const GRADE_CUTS = [0.05, 0.99, 1.88, 2.33].map((z) => z * Math.sqrt(1.25));

/**
 * Writes deterministic MSLR-shaped LETOR data (same options, same bytes). Each document has a latent
 * relevance r; the graded label, most features, the quality score (132), click count (134, heavy-tailed)
 * and dwell time (136, heavy-tailed) grow with r, while quality score 2 (133) falls with it, so one
 * auxiliary label conflicts with relevance. About 3% of queries have no relevant document, as in MSLR.
 * `.gz` output is gzip. Written to a temporary file, then renamed.
 */
export async function writeSynthMslr(file: string, options: SynthMslrOptions): Promise<SynthMslrResult> {
  const minDocs = options.minDocs ?? 1;
  const maxDocs = options.maxDocs ?? 400;
  const meanDocs = options.meanDocs ?? 120;
  const issues = [];
  if (!Number.isInteger(options.queries) || options.queries < 1)
    issues.push({ path: 'queries', message: `expected an integer >= 1, got ${options.queries}` });
  if (!Number.isInteger(minDocs) || minDocs < 1 || !Number.isInteger(maxDocs) || maxDocs < minDocs) {
    issues.push({
      path: 'minDocs',
      message: `expected integers 1 <= minDocs <= maxDocs, got ${minDocs} and ${maxDocs}`,
    });
  }
  if (!(meanDocs > 0)) issues.push({ path: 'meanDocs', message: `expected a number > 0, got ${meanDocs}` });
  if (issues.length > 0) throw new ConfigError('Invalid synth options', issues);

  const rng = new Rng(options.seed ?? 1);
  const featureRng = rng.derive('feature-weights');
  // Per feature: how strongly it follows relevance (some negatively) and its kind of values.
  const weights = Array.from({ length: SYNTH_FEATURE_COUNT }, () => featureRng.normal() * 0.6);
  const docRng = rng.derive('documents');
  const result: SynthMslrResult = { queries: options.queries, documents: 0, bytes: 0 };

  function* chunks(): Generator<Buffer> {
    let out = new TextWriter(1 << 20);
    for (let q = 0; q < options.queries; q++) {
      const drawn = Math.round(meanDocs * Math.exp(0.6 * docRng.normal() - 0.18));
      const docs = Math.min(maxDocs, Math.max(minDocs, drawn));
      const queryShift = 0.5 * docRng.normal();
      // About 3% of MSLR queries have no relevant document.
      const noRelevant = docRng.float() < 0.03;
      const qid = String(10 + q * 3);
      for (let d = 0; d < docs; d++) {
        const r = docRng.normal() + queryShift * 0.3;
        const noisy = r + 0.5 * docRng.normal();
        let grade = 0;
        while (!noRelevant && grade < 4 && noisy > (GRADE_CUTS[grade] as number)) grade++;
        out.integer(grade);
        out.ascii(' qid:');
        out.ascii(qid);
        const clicks = Math.max(0, Math.floor(Math.exp(0.6 + 0.9 * r + 1.3 * docRng.normal())) - 1);
        for (let j = 1; j <= SYNTH_FEATURE_COUNT; j++) {
          out.byte(32);
          out.integer(j);
          out.byte(58);
          writeFeature(out, j, r, clicks, weights[j - 1] as number, docRng);
        }
        out.byte(10);
        result.documents++;
        if (out.length > 1 << 20) {
          result.bytes += out.length;
          yield out.take();
          out = new TextWriter(1 << 20);
        }
      }
    }
    result.bytes += out.length;
    if (out.length > 0) yield out.take();
  }

  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const source = Readable.from(chunks());
    if (file.endsWith('.gz')) await pipeline(source, createGzip({ level: 6 }), createWriteStream(temporary));
    else await pipeline(source, createWriteStream(temporary));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return result;
}

function writeFeature(
  out: TextWriter,
  id: number,
  r: number,
  clicks: number,
  weight: number,
  rng: Rng,
): void {
  const noise = rng.normal();
  switch (id) {
    case 132: // quality score: follows relevance
      out.integer(Math.max(0, Math.round(60 + 18 * r + 20 * noise)));
      return;
    case 133: // quality score 2: conflicts with relevance
      out.integer(Math.max(0, Math.round(50 - 12 * r + 20 * noise)));
      return;
    case 134: // query-url click count: heavy-tailed, many zeros
      out.integer(clicks);
      return;
    case 135: // url length
      out.integer(Math.max(1, Math.round(40 + 15 * noise)));
      return;
    case 136: // dwell time: zero without clicks, heavy-tailed otherwise
      out.integer(clicks === 0 ? 0 : Math.round(clicks * Math.exp(3 + 0.4 * r + 0.8 * noise)));
      return;
  }
  const signal = weight * r + noise;
  switch (id % 4) {
    case 0: // term counts
      out.integer(Math.max(0, Math.floor(Math.exp(0.5 + 0.5 * signal))));
      return;
    case 1: // ratios in [0, 1]
      out.decimal(1 / (1 + Math.exp(-signal)), 6);
      return;
    case 2: // BM25-like scores
      out.decimal(Math.max(0, 8 + 4 * signal), 4);
      return;
    default: // sparse: half zeros
      out.integer(signal < 0 ? 0 : Math.round(signal * 10));
      return;
  }
}

/** Writes ASCII straight into bytes: building strings per value made the generator spend its time in GC. */
class TextWriter {
  private bytes: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity + 4096);
  }

  byte(value: number): void {
    if (this.length === this.bytes.length) {
      const grown = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.bytes[this.length++] = value;
  }

  ascii(text: string): void {
    for (let i = 0; i < text.length; i++) this.byte(text.charCodeAt(i));
  }

  /** A non-negative integer. */
  integer(value: number): void {
    if (value < 10) {
      this.byte(48 + value);
      return;
    }
    const start = this.length;
    let rest = value;
    while (rest > 0) {
      this.byte(48 + (rest % 10));
      rest = Math.floor(rest / 10);
    }
    this.bytes.subarray(start, this.length).reverse();
  }

  /** Fixed point with at most `digits` decimals and no trailing zeros (MSLR writes values like 0.454545). */
  decimal(value: number, digits: number): void {
    const scale = 10 ** digits;
    const scaled = Math.round(value * scale);
    const whole = Math.floor(scaled / scale);
    let fraction = scaled - whole * scale;
    this.integer(whole);
    if (fraction === 0) return;
    let width = digits;
    while (fraction % 10 === 0) {
      fraction /= 10;
      width--;
    }
    this.byte(46);
    let divisor = 10 ** (width - 1);
    while (divisor >= 1) {
      this.byte(48 + (Math.floor(fraction / divisor) % 10));
      divisor /= 10;
    }
  }

  take(): Buffer {
    return this.bytes.subarray(0, this.length);
  }
}
