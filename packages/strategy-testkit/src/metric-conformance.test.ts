import { builtinMetricPlugins } from '@mtl2r/metrics';
import { describeMetricConformance } from './index.js';

// The testkit's entry point runs the metric suite too: mtl2r's own five metrics pass it at several cut-offs.
for (const plugin of builtinMetricPlugins) describeMetricConformance(plugin, { cutoffs: [2, 10] });
