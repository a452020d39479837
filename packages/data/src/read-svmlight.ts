import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DataError, UserError } from '@mtl2r/core';
import { type SvmlightParseOptions, SvmlightParser, type SvmlightTable } from './svmlight-parser.js';

export interface ReadProgress {
  /** Bytes of the file (compressed bytes for .gz) read so far. */
  bytesRead: number;
  totalBytes: number;
}

export interface ReadSvmlightOptions extends SvmlightParseOptions {
  onProgress?: (progress: ReadProgress) => void;
  /** Also compute the sha256 of the file's bytes (the cache key). */
  hash?: boolean;
}

export interface ReadSvmlightResult {
  table: SvmlightTable;
  /** sha256 hex of the file's bytes, when asked for. */
  sha256?: string;
  fileBytes: number;
}

const CHUNK_BYTES = 1 << 22;

/** Reads a LETOR/svmlight file, plain or gzip (detected by its magic bytes), as a stream. */
export async function readSvmlight(
  file: string,
  options: ReadSvmlightOptions = {},
): Promise<ReadSvmlightResult> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      `cannot read data file ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  if (!info.isFile()) throw new UserError(`cannot read data file ${file}: not a regular file`);
  const totalBytes = info.size;
  const parser = new SvmlightParser(file, options);
  const hasher = options.hash ? createHash('sha256') : undefined;
  const { gzip, uncompressedHint } = await sniff(file, totalBytes);
  parser.expectBytes(uncompressedHint);
  let bytesRead = 0;
  const report = (bytes: number): void => {
    bytesRead += bytes;
    options.onProgress?.({ bytesRead, totalBytes });
  };
  if (gzip) {
    const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
    raw.on('data', (chunk) => {
      hasher?.update(chunk as Buffer);
      report(chunk.length);
    });
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    raw.on('error', (error) => gunzip.destroy(error));
    raw.pipe(gunzip);
    try {
      for await (const chunk of gunzip) parser.push(chunk as Buffer);
    } catch (error) {
      if (error instanceof DataError) throw error;
      const reason =
        (error as { code?: string }).code === 'Z_BUF_ERROR'
          ? 'the gzip stream ends early (the file is cut)'
          : `the gzip stream is corrupt (${(error as Error).message})`;
      throw new DataError(file, parser.linesRead + 1, undefined, `${reason}: expected a complete gzip file`);
    } finally {
      raw.destroy();
    }
  } else {
    const handle = await open(file, 'r');
    try {
      // Two buffers: the next read runs while the current chunk is parsed.
      const buffers: Buffer[] = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
      let which = 0;
      let position = 0;
      let pending = handle.read(buffers[0] as Buffer, 0, CHUNK_BYTES, position);
      for (;;) {
        const { bytesRead: n } = await pending;
        if (n === 0) break;
        position += n;
        const chunk = (buffers[which] as Buffer).subarray(0, n);
        which ^= 1;
        pending = handle.read(buffers[which] as Buffer, 0, CHUNK_BYTES, position);
        hasher?.update(chunk);
        parser.push(chunk);
        report(n);
      }
    } finally {
      await handle.close();
    }
  }
  const table = parser.finish();
  const result: ReadSvmlightResult = { table, fileBytes: totalBytes };
  if (hasher) result.sha256 = hasher.digest('hex');
  return result;
}

/** Gzip or not, and the uncompressed size the gzip trailer suggests (its ISIZE is the size mod 2^32). */
async function sniff(file: string, size: number): Promise<{ gzip: boolean; uncompressedHint: number }> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw unreadable(file, error);
  });
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    const gzip = size >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    if (!gzip) return { gzip, uncompressedHint: size };
    if (size < 18) return { gzip, uncompressedHint: 0 };
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, size - 4);
    let hint = tail.readUInt32LE(0);
    while (hint < size) hint += 2 ** 32;
    return { gzip, uncompressedHint: hint };
  } finally {
    await handle.close();
  }
}

/** A file that cannot be opened is the user's to fix: say which and why, without a stack. */
export function unreadable(file: string, error: NodeJS.ErrnoException): UserError {
  const reason =
    error.code === 'ENOENT' ? 'no such file' : error.code === 'EACCES' ? 'permission denied' : error.message;
  return new UserError(`cannot read data file ${file}: ${reason}`);
}
