import { UserError } from '@mtl2r/core';
import { Redis } from 'ioredis';

/** Checks a `--queue` value is a redis:// or rediss:// URL; errors name the flag and the value. */
export function parseQueueUrl(url: string, flag = '--queue'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`${flag} ${url}: not a URL`, {
      hint: 'expected redis://host:port (e.g. redis://localhost:6379)',
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UserError(`${flag} ${url}: expected a redis:// or rediss:// URL, got ${parsed.protocol}//`, {
      hint: 'e.g. redis://localhost:6379',
    });
  }
  return url;
}

/**
 * Connects once and PINGs, failing within `timeoutMs` with an error naming the URL (exit 2) rather than
 * letting ioredis retry forever.
 */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis(parseQueueUrl(url), {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
  );
  try {
    await Promise.race([client.connect().then(() => client.ping()), timer]);
  } catch (error) {
    throw new UserError(`cannot reach Redis at ${url}: ${(error as Error).message}`, {
      hint: 'start redis-server there, or check the host, port and password in the URL',
    });
  } finally {
    client.disconnect();
  }
}

/** A connection for BullMQ (workers need maxRetriesPerRequest: null to block on the queue). */
export function queueConnection(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on('error', () => {});
  return client;
}
