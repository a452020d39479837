import { join } from 'node:path';
import type { Ranker } from '@mtl2r/encoder';
import { writeFileAtomic } from './run-directory.js';

export const ARCHITECTURE_FILE = 'architecture.json';

/** What a model-growing strategy added to the ranker: which task pairs, at which blocks, how many parameters. */
export interface GrownArchitecture {
  blocks: number;
  baseParameters: number;
  parametersAdded: number;
  totalParameters: number;
  modules: { tasks: [string, string]; taskA: number; taskB: number; block: number; parameters: number }[];
}

/** The ranker's grown modules, or undefined when it has none. */
export function grownArchitecture(
  ranker: Ranker,
  taskNames: readonly string[],
): GrownArchitecture | undefined {
  const modules = ranker.pairModules();
  if (modules.length === 0) return undefined;
  const added = modules.reduce((sum, m) => sum + m.parameters, 0);
  const total = ranker.parameterCount();
  return {
    blocks: ranker.blockCount,
    baseParameters: total - added,
    parametersAdded: added,
    totalParameters: total,
    modules: modules.map(({ taskA, taskB, block, parameters }) => ({
      tasks: [taskNames[taskA] ?? String(taskA), taskNames[taskB] ?? String(taskB)],
      taskA,
      taskB,
      block,
      parameters,
    })),
  };
}

/** Writes `architecture.json` in the run directory; returns its path. */
export function writeGrownArchitecture(runDir: string, architecture: GrownArchitecture): string {
  const file = join(runDir, ARCHITECTURE_FILE);
  writeFileAtomic(file, `${JSON.stringify(architecture, null, 2)}\n`);
  return file;
}

/** A few lines for the terminal: one per module, then the parameter totals. */
export function formatGrownArchitecture(architecture: GrownArchitecture): string {
  const lines = [`grown architecture: ${architecture.modules.length} pair module(s)`];
  for (const m of architecture.modules) {
    lines.push(`  ${m.tasks[0]} ~ ${m.tasks[1]} at block ${m.block}: ${m.parameters} parameters`);
  }
  const share = (100 * architecture.parametersAdded) / Math.max(1, architecture.baseParameters);
  lines.push(
    `  parameters ${architecture.baseParameters} + ${architecture.parametersAdded} added = ${architecture.totalParameters} (+${share.toFixed(1)}%)`,
  );
  return `${lines.join('\n')}\n`;
}
