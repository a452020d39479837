/**
 * Runs both strategy benchmarks in one process and prints their tables: the per-step cost of each plugin's
 * combine (K = 2..5, P = 810,497) and the whole training step of every gradient method relative to LS (K = 3
 * and 5). The plugins are discovered (discover-strategies.ts). Run: pnpm bench.
 */
import { runCombineBench } from './strategy-combine.bench.js';
import { runStepBench } from './strategy-step.bench.js';

await runCombineBench();
await runStepBench();
