import { UserError } from '@mtl2r/core';
import {
  applyDataTransform,
  describeMissingFeatures,
  missingColumns,
  type RankingSplit,
  SvmlightParser,
  shapeSplit,
} from '@mtl2r/data/browser';
import type { BrowserModel } from './load-model.js';

/** One query of a JSON queries file: its id and its documents as `{ featureId: value }` maps. */
export interface JsonQuery {
  qid: string | number;
  docs: readonly Readonly<Record<string, number>>[];
  /** Optional per-document labels (0 when absent). */
  labels?: readonly number[];
}

/**
 * Reads a queries file for a model, exactly as `mtl2r predict` reads a LETOR file: svmlight lines
 * (`label qid:Q i:v ...`) or JSON (`[{ "qid": 1, "docs": [{ "1": 0.5, "7": 1 }] }]`, turned into the same
 * lines), the model's spec and fitted transform applied. Errors name the file and line as the CLI does;
 * a file whose lines stop before some of the model's input features is refused.
 */
export function readQueries(model: BrowserModel, text: string, source: string): RankingSplit {
  const body = text.trimStart().startsWith('[') ? jsonToSvmlight(text, source) : text;
  const spec = model.spec;
  const inputIds = model.transform.featureIds;
  const taskIds = spec.tasks.flatMap((task) => (task.feature === undefined ? [] : [task.feature]));
  const featureCount = spec.featureCount ?? Math.max(1, ...inputIds, ...taskIds, ...spec.dropFeatures);
  const parser = new SvmlightParser(source, {
    featureCount,
    regroup: spec.regroup,
    ...(spec.maxLabel === undefined ? {} : { maxLabel: spec.maxLabel }),
  });
  parser.push(new TextEncoder().encode(body.endsWith('\n') ? body : `${body}\n`));
  const table = parser.finish();
  const missing = missingColumns(table, inputIds, []);
  if (missing.features.length > 0) {
    throw new UserError(`${source}: ${describeMissingFeatures(table, missing.features, inputIds.length)}`);
  }
  return applyDataTransform(shapeSplit(table, spec), model.transform);
}

function jsonToSvmlight(text: string, source: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${source}: not valid JSON (${(error as Error).message}); expected svmlight lines or [{ "qid": ..., "docs": [...] }]`,
    );
  }
  const queries = value as JsonQuery[];
  const lines: string[] = [];
  queries.forEach((query, q) => {
    if (query === null || typeof query !== 'object' || !Array.isArray(query.docs)) {
      throw new UserError(
        `${source}: [${q}]: expected { "qid": ..., "docs": [{ "<feature id>": <value> }, ...] }`,
      );
    }
    query.docs.forEach((doc, d) => {
      const pairs = Object.entries(doc)
        .map(([id, v]) => {
          if (!/^[1-9][0-9]*$/.test(id) || typeof v !== 'number' || !Number.isFinite(v)) {
            throw new UserError(
              `${source}: [${q}].docs[${d}]["${id}"]: expected a feature id >= 1 and a finite number`,
            );
          }
          return [Number(id), v] as const;
        })
        .sort((a, b) => a[0] - b[0]);
      lines.push(
        `${query.labels?.[d] ?? 0} qid:${query.qid} ${pairs.map(([id, v]) => `${id}:${v}`).join(' ')}`,
      );
    });
  });
  return lines.join('\n');
}
