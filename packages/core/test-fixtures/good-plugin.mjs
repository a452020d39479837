// A third-party style plugin written in plain JavaScript, loaded by file path in load-plugin.test.ts.
const schema = {
  '~standard': { version: 1, vendor: 'fixture', validate: (value) => ({ value }) },
};
export default {
  id: 'fixture_equal',
  contractVersion: 1,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'none' },
  options: schema,
  create: (_options, ctx) => ({
    needs: { grads: 'none' },
    combine: () => ({ weights: new Array(ctx.taskCount).fill(1 / ctx.taskCount) }),
    state: () => null,
    loadState: () => {},
    dispose: () => {},
  }),
};
