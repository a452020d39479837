import type { Registry } from '@mtl2r/core';
import { type RunRequest, runTrainingJob } from './run-training-job.js';
import type { RunSummary } from './sweep-job.js';

/** Parent -> worker process. */
export interface RunMessage {
  type: 'run';
  request: RunRequest;
}
/** Worker process -> parent. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'done'; id: string; summary: RunSummary }
  | { type: 'failed'; id: string; error: string };

/**
 * The main loop of a sweep worker process (forked by ProcessPool): runs the jobs it is sent one at a time
 * and reports each result. It exits when its parent goes away (IPC disconnect), so a SIGKILLed worker
 * leaves no orphans training on.
 */
export async function serveJobs(loadRegistry: () => Promise<Registry>): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('serveJobs must run in a process forked with an IPC channel');
  const registry = await loadRegistry();
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: RunMessage) => {
    if (message.type !== 'run') return;
    const id = message.request.job.id;
    runTrainingJob(message.request, registry).then(
      (summary) => send({ type: 'done', id, summary } satisfies ChildMessage),
      (error: unknown) => {
        const text =
          error instanceof Error
            ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
            : String(error);
        send({ type: 'failed', id, error: text } satisfies ChildMessage);
      },
    );
  });
  send({ type: 'ready' } satisfies ChildMessage);
}
