import {
  type BrowserModel,
  loadBrowserModel,
  type PickedFile,
  readQueries,
  type ScoredQuery,
  scoreQueries,
  selectModelFiles,
  useBrowserBackend,
} from '@mtl2r/browser';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { renderResults, renderSliders } from './render.js';

const status = document.querySelector('#status') as HTMLElement;
const sliders = document.querySelector('#sliders') as HTMLElement;
const results = document.querySelector('#results') as HTMLElement;

let model: BrowserModel | undefined;
let queriesFile: File | undefined;
let split: ReturnType<typeof readQueries> | undefined;
let scored: ScoredQuery[] = [];
let preference: number[] = [];

/** A preference-conditioned model is re-run at the sliders' trade-off; a plain one keeps its task scores. */
function rescore(): void {
  if (model === undefined || split === undefined) return;
  const total = preference.reduce((a, b) => a + b, 0);
  scored = model.ranker.conditioned
    ? scoreQueries(model, split, { preference: preference.map((r) => r / total) })
    : scoreQueries(model, split);
}

function show(state: 'idle' | 'busy' | 'ready' | 'error', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

async function picked(list: FileList | null): Promise<PickedFile[]> {
  return Promise.all(
    Array.from(list ?? [], async (file) => ({
      path: file.webkitRelativePath || file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}

async function refresh(): Promise<void> {
  if (model === undefined || queriesFile === undefined) return;
  show('busy', `scoring ${queriesFile.name} ...`);
  const started = performance.now();
  split = readQueries(model, await queriesFile.text(), queriesFile.name);
  preference = model.taskNames.map(() => 1);
  rescore();
  const seconds = (performance.now() - started) / 1000;
  const docs = scored.reduce((n, q) => n + q.scores.length, 0);
  preference = renderSliders(sliders, model.taskNames, (next) => {
    preference = next;
    void guarded(async () => {
      if (model?.ranker.conditioned === true) rescore();
      renderResults(results, scored, model?.taskNames ?? [], preference);
    });
  });
  document.body.dataset.conditioned = String(model.ranker.conditioned);
  renderResults(results, scored, model.taskNames, preference);
  status.dataset.documentsPerSecond = String(docs / seconds);
  show('ready', `${scored.length} queries, ${docs} documents scored in ${seconds.toFixed(2)} s`);
}

async function guarded(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    results.replaceChildren();
    show('error', (error as Error).message);
  }
}

async function loadModel(list: FileList | null): Promise<void> {
  model?.dispose();
  model = undefined;
  model = await loadBrowserModel(selectModelFiles(await picked(list)));
  show(
    'idle',
    `model ${model.source}: tasks ${model.taskNames.join(', ')}, ${model.ranker.parameterCount()} parameters`,
  );
  await refresh();
}

for (const id of ['#model-folder', '#model-files']) {
  const input = document.querySelector(id) as HTMLInputElement;
  input.addEventListener('change', () => guarded(() => loadModel(input.files)));
}
const queriesInput = document.querySelector('#queries') as HTMLInputElement;
queriesInput.addEventListener('change', () =>
  guarded(async () => {
    queriesFile = queriesInput.files?.[0];
    await refresh();
  }),
);

const backend = await useBrowserBackend({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
document.body.dataset.backend = backend.backend;
show(
  'idle',
  `tfjs backend: ${backend.backend}${backend.note === undefined ? '' : ` (${backend.note})`}. Pick a model and a queries file.`,
);
