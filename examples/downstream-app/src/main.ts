import { blendLosses } from './blend-scores.js';

const result = await blendLosses({ relevance: 0.42, click: 1.3, dwell: 0.8 }, [2, 1, 1]);
console.log(JSON.stringify(result, null, 2));
