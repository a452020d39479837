import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal configs serialise equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** A run's identity: the first 16 hex digits of the SHA-256 of its resolved config. */
export function runId(resolvedConfig: unknown): string {
  return createHash('sha256').update(canonicalJson(resolvedConfig)).digest('hex').slice(0, 16);
}
