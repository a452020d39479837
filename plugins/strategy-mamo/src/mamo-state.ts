import { type Json, PluginError } from '@mtl2r/core';
import { ConflictStatistics } from './conflict-statistics.js';

export interface GrownModule {
  taskA: number;
  taskB: number;
  block: number;
}

/** Everything MAMO needs to continue identically after a restart. */
export interface MamoState {
  phase: 'search' | 'grown';
  stats: ConflictStatistics;
  /** The modules grown (empty while searching, or when no pair conflicted). */
  modules: GrownModule[];
  /** The threshold Q was compared with at growth (0 before). */
  threshold: number;
  /** The last step `combine` saw (-1 before the first): gives the steps per epoch for the search-length check. */
  lastStep: number;
}

export function freshState(blockCount: number, pairCount: number): MamoState {
  return {
    phase: 'search',
    stats: new ConflictStatistics(blockCount, pairCount),
    modules: [],
    threshold: 0,
    lastStep: -1,
  };
}

export function stateToJson(state: MamoState): Json {
  return {
    phase: state.phase,
    stats: state.stats.toJson(),
    modules: state.modules.map((m) => ({ taskA: m.taskA, taskB: m.taskB, block: m.block })),
    threshold: state.threshold,
    lastStep: state.lastStep,
  };
}

export function stateFromJson(value: Json, pairCount: number): MamoState {
  const source = 'mamo state';
  const record = value as Record<string, Json> | null;
  const isModule = (m: Json) => {
    const o = m as Record<string, Json> | null;
    return (
      o !== null && typeof o === 'object' && ['taskA', 'taskB', 'block'].every((k) => Number.isInteger(o[k]))
    );
  };
  if (
    record === null ||
    typeof record !== 'object' ||
    (record.phase !== 'search' && record.phase !== 'grown') ||
    !Array.isArray(record.modules) ||
    !record.modules.every(isModule) ||
    typeof record.threshold !== 'number' ||
    typeof record.lastStep !== 'number' ||
    typeof record.stats !== 'object' ||
    record.stats === null ||
    !Array.isArray((record.stats as Record<string, Json>).negativeCounts)
  ) {
    throw new PluginError(
      `${source}: expected { phase, stats, modules, threshold, lastStep } as written by state()`,
    );
  }
  const counts = (record.stats as Record<string, Json[]>).negativeCounts as Json[];
  const blockCount = pairCount === 0 ? 0 : counts.length / pairCount;
  return {
    phase: record.phase,
    stats: ConflictStatistics.fromJson(record.stats, blockCount, pairCount, `${source}.stats`),
    modules: (record.modules as unknown as GrownModule[]).map((m) => ({
      taskA: m.taskA,
      taskB: m.taskB,
      block: m.block,
    })),
    threshold: record.threshold,
    lastStep: record.lastStep,
  };
}
