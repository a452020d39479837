import { declaredGradientSpaces, type StrategyPlugin } from '@mtl2r/core';
import { Command } from 'commander';
import { installedStrategies } from '../installed-strategies.js';
import type { CliIo } from '../io.js';
import { formatTable } from '../table.js';

function needsSummary(plugin: StrategyPlugin<unknown>): string {
  const parts = [`grads: ${declaredGradientSpaces(plugin).join('|')}`];
  if (plugin.needs.preference === true) parts.push('preference');
  if (plugin.needs.positiveLosses === true) parts.push('positive losses');
  if (plugin.needs.lossesAfterUpdate === true) parts.push('losses after update');
  if (plugin.needs.growsModel === true) parts.push('grows model');
  if (plugin.needs.conditionsModel === true) parts.push('conditions model');
  return parts.join(', ');
}

/** `mtl2r strategies`: the installed strategy plugins with family, needs and whether they target a Pareto point. */
export function strategiesCommand(io: CliIo): Command {
  return new Command('strategies')
    .description('list installed strategy plugins')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const installed = await installedStrategies(io.cwd);
      if (options.json === true) {
        const rows = installed.map(({ package: pkg, plugin, error }) => ({
          package: pkg.name,
          version: pkg.version,
          ...(plugin === undefined
            ? { error }
            : {
                id: plugin.id,
                family: plugin.family,
                paretoFront: plugin.paretoFront,
                needs: plugin.needs,
                description: plugin.description ?? '',
              }),
        }));
        io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (installed.length === 0) {
        io.stdout('no strategy plugins installed (install one, e.g. pnpm add @mtl2r/strategy-ls)\n');
        return;
      }
      const rows = installed.map(({ package: pkg, plugin, error }) =>
        plugin === undefined
          ? ['(broken)', '', '', '', `${pkg.name}@${pkg.version}: ${error ?? ''}`]
          : [
              plugin.id,
              plugin.family,
              needsSummary(plugin),
              plugin.paretoFront ? 'yes' : 'no',
              `${pkg.name}@${pkg.version}`,
            ],
      );
      io.stdout(`${formatTable(['id', 'family', 'needs', 'pareto front', 'package'], rows)}\n`);
    });
}
