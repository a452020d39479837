import { combineScores, rankDocuments, type ScoredQuery } from '@mtl2r/browser';

/** One range input per task (0..100), starting equal; calls `onChange` with the new preference. */
export function renderSliders(
  host: HTMLElement,
  taskNames: readonly string[],
  onChange: (preference: number[]) => void,
): number[] {
  host.replaceChildren();
  const values = taskNames.map(() => 50);
  taskNames.forEach((task, k) => {
    const row = document.createElement('label');
    row.className = 'slider';
    const input = document.createElement('input');
    Object.assign(input, { type: 'range', min: '0', max: '100', value: '50' });
    input.dataset.task = task;
    const shown = document.createElement('output');
    shown.textContent = '50';
    input.addEventListener('input', () => {
      values[k] = Number(input.value);
      shown.textContent = input.value;
      // every slider at 0 says nothing about the trade-off: rank by the equal mix until one moves
      onChange(values.some((v) => v > 0) ? values.slice() : values.map(() => 1));
    });
    row.append(`${task}`, input, shown);
    host.append(row);
  });
  return values.slice();
}

/**
 * Each query as a table of its documents in ranked order under the preference: rank, document index (in
 * file order), the per-task scores and the combined score. Rows carry their numbers as data attributes so
 * tests read exactly what the page shows.
 */
export function renderResults(
  host: HTMLElement,
  queries: readonly ScoredQuery[],
  taskNames: readonly string[],
  preference: readonly number[],
): void {
  const heads = queries[0]?.scores[0]?.length ?? 1;
  const headNames = heads === 1 ? ['score'] : taskNames;
  const tables = queries.map((query) => {
    const combined = combineScores(query, preference);
    const table = document.createElement('table');
    table.dataset.qid = query.qid;
    const caption = table.createCaption();
    caption.textContent = `qid ${query.qid} — ${query.scores.length} documents`;
    const head = table.createTHead().insertRow();
    for (const title of ['rank', 'doc', ...headNames, 'combined']) {
      const cell = document.createElement('th');
      cell.textContent = title;
      head.append(cell);
    }
    const body = table.createTBody();
    rankDocuments(combined).forEach((d, rank) => {
      const row = body.insertRow();
      row.dataset.doc = String(d);
      row.dataset.scores = JSON.stringify(query.scores[d]);
      row.dataset.combined = String(combined[d]);
      for (const value of [
        rank + 1,
        d,
        ...(query.scores[d] ?? []).map((s) => s.toFixed(5)),
        (combined[d] as number).toFixed(5),
      ]) {
        row.insertCell().textContent = String(value);
      }
    });
    return table;
  });
  host.replaceChildren(...tables);
}
