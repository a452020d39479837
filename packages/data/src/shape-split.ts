import { ConfigError } from '@mtl2r/core';
import type { DataSpec } from './data-spec.js';
import type { RankingSplit } from './ranking-split.js';
import type { SvmlightTable } from './svmlight-parser.js';

/**
 * Turns every-column table into a split: each task's labels are gathered (the label column or a feature
 * column), and the columns used as labels or listed in dropFeatures are removed from the input. Works in
 * place on the table's feature array, so an MSLR-sized matrix is never copied.
 */
export function shapeSplit(table: SvmlightTable, spec: DataSpec): RankingSplit {
  const width = table.featureCount;
  const n = table.labels.length;
  spec.tasks.forEach((task, index) => {
    if (task.feature !== undefined && task.feature > width) {
      throw new ConfigError(`Task '${task.name}' cannot be built from ${table.source}`, [
        {
          path: `data.tasks[${index}].feature`,
          message: `feature ${task.feature} does not exist: the file has ${width} features (expected 1..${width})`,
        },
      ]);
    }
  });
  const removed = new Set<number>(spec.dropFeatures);
  for (const task of spec.tasks) if (task.feature !== undefined) removed.add(task.feature);

  const labels = new Float32Array(spec.tasks.length * n);
  spec.tasks.forEach((task, k) => {
    const out = labels.subarray(k * n, (k + 1) * n);
    if (task.feature === undefined) {
      out.set(table.labels);
      return;
    }
    const column = task.feature - 1;
    const features = table.features;
    for (let row = 0, at = column; row < n; row++, at += width) out[row] = features[at] as number;
  });

  const kept: number[] = [];
  for (let id = 1; id <= width; id++) if (!removed.has(id)) kept.push(id);
  const featureCount = kept.length;
  const features = table.features;
  if (featureCount < width) {
    const columns = Int32Array.from(kept, (id) => id - 1);
    // Row r's new start (r*F) never passes its old start (r*W), so a forward in-place copy is safe.
    for (let row = 0; row < n; row++) {
      const from = row * width;
      const to = row * featureCount;
      for (let j = 0; j < featureCount; j++)
        features[to + j] = features[from + (columns[j] as number)] as number;
    }
  }
  return {
    source: table.source,
    featureCount,
    fileFeatureCount: width,
    featureIds: Int32Array.from(kept),
    taskNames: spec.tasks.map((task) => task.name),
    queryIds: table.queryIds,
    queryOffsets: table.queryOffsets,
    features: featureCount < width ? features.subarray(0, n * featureCount) : features,
    labels,
  };
}
