import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConfigError, type ConfigIssue, InternalError } from './errors.js';

/**
 * Validates a value against any Standard Schema (zod, valibot, arktype, ...) and returns the parsed output,
 * or throws a ConfigError naming every failing path. `prefix` is where the value sits in the config
 * (`strategy.options`), so the user sees `strategy.options.preference[2]: expected number`.
 */
export function validateWithSchema<Output>(
  schema: StandardSchemaV1<unknown, Output>,
  value: unknown,
  what: string,
  prefix = '',
): Output {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    throw new InternalError(`${what}: the schema validates asynchronously; mtl2r needs a synchronous schema`);
  }
  if (result.issues !== undefined) {
    throw new ConfigError(
      what,
      result.issues.map((issue) => toConfigIssue(issue, prefix)),
    );
  }
  return result.value;
}

export function toConfigIssue(issue: StandardSchemaV1.Issue, prefix = ''): ConfigIssue {
  return { path: formatPath(prefix, issue.path ?? []), message: issue.message };
}

/** `a.b[2].c` from a prefix and Standard Schema path segments. */
export function formatPath(
  prefix: string,
  segments: ReadonlyArray<PropertyKey | StandardSchemaV1.PathSegment>,
): string {
  let out = prefix;
  for (const segment of segments) {
    const key = typeof segment === 'object' ? segment.key : segment;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
