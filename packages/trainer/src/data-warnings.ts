import { type RankingSplit, taskLabels } from '@mtl2r/data';

/**
 * Warnings about training data that trains without error but cannot teach anything: queries with a
 * single document (every ranking loss is 0 on them) and a task whose labels are all equal.
 */
export function degenerateDataWarnings(train: RankingSplit): string[] {
  const warnings: string[] = [];
  const queries = train.queryIds.length;
  let single = 0;
  for (let q = 0; q < queries; q++) {
    if ((train.queryOffsets[q + 1] as number) - (train.queryOffsets[q] as number) === 1) single++;
  }
  if (single === queries) {
    warnings.push(
      `${train.source}: all ${queries} training queries have a single document: every ranking loss is 0 and the model cannot learn`,
    );
  } else if (single > 0) {
    warnings.push(
      `${train.source}: ${single} of ${queries} training queries have a single document; ranking losses are 0 on them`,
    );
  }
  train.taskNames.forEach((task, k) => {
    const labels = taskLabels(train, k);
    const first = labels[0];
    if (first !== undefined && labels.every((value) => value === first)) {
      warnings.push(
        `${train.source}: task '${task}' has the same label (${first}) on all ${labels.length} training documents: it gives no ranking signal (check its label column in data.spec.tasks)`,
      );
    }
  });
  return warnings;
}
