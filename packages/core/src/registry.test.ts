import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTRACT_VERSION, type Strategy, type StrategyPlugin } from './contract.js';
import { InternalError, type PluginError } from './errors.js';
import { createStrategy, normalisePreference, packageNameForStrategy, Registry } from './registry.js';
import { CORE_VERSION } from './version.js';

const options = z.object({ scale: z.number().positive().default(1) });

function fakePlugin(
  id: string,
  overrides: Partial<StrategyPlugin<z.infer<typeof options>>> = {},
): StrategyPlugin<z.infer<typeof options>> {
  return {
    id,
    contractVersion: CONTRACT_VERSION,
    family: 'scalarization',
    paretoFront: true,
    needs: { grads: 'none', preference: true },
    packageName: `pkg-${id}`,
    options,
    create: (opts, ctx): Strategy => ({
      needs: { grads: 'none', preference: true },
      combine: () => ({ weights: (ctx.preference ?? []).map((p) => p * opts.scale) }),
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    }),
    ...overrides,
  };
}

describe('Registry', () => {
  it('use / get / list', () => {
    const registry = new Registry();
    const b = fakePlugin('b_two');
    const a = fakePlugin('a-one');
    registry.use(b).use(a);
    expect(registry.get('b_two')).toBe(b);
    expect(registry.list().map((p) => p.id)).toEqual(['a-one', 'b_two']);
    expect(registry.has('a-one')).toBe(true);
  });

  it('registering the same object twice is a no-op', () => {
    const registry = new Registry();
    const plugin = fakePlugin('ls');
    registry.use(plugin).use(plugin);
    expect(registry.list()).toHaveLength(1);
  });

  it('a different object with the same id throws naming both packages', () => {
    const registry = new Registry().use(fakePlugin('ls', { packageName: '@mtl2r/strategy-ls' }));
    expect(() => registry.use(fakePlugin('ls', { packageName: 'my-ls' }))).toThrow(
      "cannot register strategy 'ls' (my-ls): id 'ls' is already registered by @mtl2r/strategy-ls",
    );
  });

  it('a wrong contract version names plugin and core versions', () => {
    const plugin = { ...fakePlugin('future'), contractVersion: 2 } as unknown as StrategyPlugin<unknown>;
    expect(() => new Registry().use(plugin)).toThrow(
      `strategy plugin 'future' (pkg-future) implements strategy contract v2, but @mtl2r/core ${CORE_VERSION} implements v${CONTRACT_VERSION}`,
    );
  });

  it('an unknown id lists the known ones and suggests the package', () => {
    const registry = new Registry().use(fakePlugin('ls')).use(fakePlugin('mgda'));
    let error: PluginError | undefined;
    try {
      registry.get('pcgrad');
    } catch (e) {
      error = e as PluginError;
    }
    expect(error?.message).toBe("unknown strategy 'pcgrad'; registered: ls, mgda");
    expect(error?.hint).toContain('@mtl2r/strategy-pcgrad');
  });

  it('rejects objects that are not plugins, listing every problem', () => {
    const bad = { id: 'Bad Id', family: 'magic', paretoFront: 'yes', needs: { grads: 'all' }, options: {} };
    expect(() => new Registry().use(bad as unknown as StrategyPlugin<unknown>)).toThrow(
      /is not a strategy plugin:\n {2}- id must be a lower-case id.*\n {2}- create must be a function.*\n {2}- family must be one of.*\n {2}- paretoFront must be a boolean\n {2}- options must be a Standard Schema.*\n {2}- needs.grads must be/,
    );
    expect(() => new Registry().use(null as unknown as StrategyPlugin<unknown>)).toThrow(
      'expected an object, got null',
    );
  });

  it('maps ids to package names', () => {
    expect(packageNameForStrategy('pcgrad')).toBe('@mtl2r/strategy-pcgrad');
    expect(packageNameForStrategy('soft_wc')).toBe('@mtl2r/strategy-soft-wc');
  });
});

describe('createStrategy', () => {
  it('validates options with the exact config path', () => {
    expect(() => createStrategy(fakePlugin('ls'), { taskNames: ['a', 'b'], options: { scale: -1 } })).toThrow(
      /strategy\.options\.scale: .*>0/,
    );
  });

  it('normalises the preference and passes it to the strategy', async () => {
    const strategy = createStrategy(fakePlugin('ls'), {
      taskNames: ['a', 'b'],
      preference: [1, 3],
      options: { scale: 2 },
    });
    const out = await strategy.combine({ step: 0, epoch: 0, losses: new Float32Array([1, 1]) });
    expect(out.weights).toEqual([0.5, 1.5]);
  });

  it('also passes the preference as written, for compatibility modes', () => {
    let seen: readonly number[] | undefined;
    const plugin = fakePlugin('ls', {
      create: (_opts, ctx): Strategy => {
        seen = ctx.rawPreference;
        return {
          needs: { grads: 'none' },
          combine: () => ({ weights: [1, 1] }),
          state: () => null,
          loadState: () => {},
          dispose: () => {},
        };
      },
    });
    createStrategy(plugin, { taskNames: ['a', 'b'], preference: [1, 3] });
    expect(seen).toEqual([1, 3]);
    createStrategy(plugin, { taskNames: ['a', 'b'] });
    expect(seen).toBeUndefined();
  });

  it('defaults the preference to uniform', async () => {
    const strategy = createStrategy(fakePlugin('ls'), { taskNames: ['a', 'b', 'c', 'd'] });
    expect((await strategy.combine({ step: 0, epoch: 0, losses: new Float32Array(4) })).weights).toEqual([
      0.25, 0.25, 0.25, 0.25,
    ]);
  });

  it('rejects a preference of the wrong length or with bad entries', () => {
    expect(() => createStrategy(fakePlugin('ls'), { taskNames: ['a', 'b'], preference: [1, 2, 3] })).toThrow(
      'strategy.preference: expected 2 numbers (one per task), got 3',
    );
    expect(() => normalisePreference([1, -1], 2, 'p', 'ls')).toThrow(
      'p[1]: expected a finite number >= 0, got -1',
    );
    expect(() => normalisePreference([0, 0], 2, 'p', 'ls')).toThrow(
      'p: expected at least one positive entry',
    );
  });

  it('drops a preference the plugin does not use, with a notice (switching strategies just works)', () => {
    const plugin = fakePlugin('mgda', { needs: { grads: 'none' } });
    const notices: string[] = [];
    const strategy = createStrategy(plugin, {
      taskNames: ['a', 'b'],
      preference: [1, 1],
      notice: (line) => notices.push(line),
    });
    expect(strategy.needs.grads).toBe('none');
    expect(notices).toEqual([
      "strategy.preference is not used by strategy 'mgda' (it takes no preference vector); ignoring it",
    ]);
  });

  it('passes the planned epochs on to the context, and leaves them out when unknown', () => {
    const seen: (number | undefined)[] = [];
    const plugin = fakePlugin('phased', {
      needs: { grads: 'none' },
      create: (_opts, ctx): Strategy => {
        seen.push(ctx.plannedEpochs);
        return {
          needs: { grads: 'none' },
          combine: () => ({ weights: [1] }),
          state: () => null,
          loadState: () => {},
          dispose: () => {},
        };
      },
    });
    createStrategy(plugin, { taskNames: ['a'], plannedEpochs: 7 });
    createStrategy(plugin, { taskNames: ['a'] });
    expect(seen).toEqual([7, undefined]);
  });

  it('catches an instance whose gradient space the plugin does not declare', () => {
    const plugin = fakePlugin('liar', { needs: { grads: 'none' } });
    const lying = {
      ...plugin,
      create: () => ({ ...plugin.create({ scale: 1 }, {} as never), needs: { grads: 'shared' as const } }),
    };
    expect(() => createStrategy(lying, { taskNames: ['a'] })).toThrow(InternalError);
  });
});
