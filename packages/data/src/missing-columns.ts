import { DataError } from '@mtl2r/core';
import type { DataSpec } from './data-spec.js';
import type { SvmlightTable } from './svmlight-parser.js';

/** Columns a model needs that no line of a file holds. */
export interface MissingColumns {
  /** Input feature ids beyond the file's largest id (they would all read as 0). */
  features: number[];
  /** Tasks whose label column is beyond the file's largest id (every label would read as 0). */
  tasks: { name: string; feature: number }[];
}

/**
 * Which of the needed columns a file lacks. Sparse svmlight omits zeros, so one column can only be told
 * missing when it lies beyond the largest id on every line: that is what is reported.
 */
export function missingColumns(
  table: SvmlightTable,
  inputFeatureIds: readonly number[],
  tasks: DataSpec['tasks'] = [],
): MissingColumns {
  const largest = table.maxFeatureId;
  return {
    features: inputFeatureIds.filter((id) => id > largest),
    tasks: tasks.flatMap((task) =>
      task.feature !== undefined && task.feature > largest
        ? [{ name: task.name, feature: task.feature }]
        : [],
    ),
  };
}

/** The message for missing input features: how many, which, and the file's largest id. */
export function describeMissingFeatures(
  table: SvmlightTable,
  missing: readonly number[],
  expected: number,
): string {
  const shown = missing.length > 8 ? `${missing.slice(0, 8).join(', ')}, ...` : missing.join(', ');
  return `${missing.length} of the model's ${expected} input features are absent (ids ${shown}): the file's largest feature id is ${table.maxFeatureId}`;
}

/** Throws a DataError naming each task whose label column the file lacks. */
export function assertTaskColumnsPresent(table: SvmlightTable, missing: MissingColumns['tasks']): void {
  if (missing.length === 0) return;
  const list = missing.map((task) => `'${task.name}' (feature ${task.feature})`).join(', ');
  throw new DataError(
    table.source,
    undefined,
    undefined,
    `the label column of ${missing.length === 1 ? 'task' : 'tasks'} ${list} ${missing.length === 1 ? 'is' : 'are'} absent: the file's largest feature id is ${table.maxFeatureId}; metrics without labels would be meaningless`,
  );
}
