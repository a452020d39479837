/**
 * The commented starter sweep `mtl2r init --sweep` writes: two preference methods x two preference rows on
 * the bundled MQ2008 data, plus the two single-task baselines (6 runs), sized to finish in under three
 * minutes on two cores. The comments show how to scale it to DeepMTL2R's protocol.
 */
export function starterSweepYaml(): string {
  return `# mtl2r sweep file (docs/sweeps.md). Run it with:
#   mtl2r sweep -c sweep.yaml --out sweeps/starter            # local workers, one per core
#   mtl2r sweep -c sweep.yaml --out sweeps/starter --queue redis://localhost:6379   # + mtl2r worker --queue ...
# Rerunning the same command resumes: finished runs are skipped, interrupted ones continue.

base:                    # a training config: the same keys as for mtl2r train (docs/config.md)
  seed: 42
  backend: auto
  data:
    dataset: mq2008      # bundled LETOR 4.0 MQ2008 Fold1
    spec:
      tasks:
        - { name: relevance, source: label }
        - { name: pagerank, feature: 41, transform: "quantile-grades:5" }   # removed from the input
      normalize: none
  model: { modelDim: 32, blocks: 1, heads: 2, ffnDim: 64, dropout: 0.1, perTaskHeads: true }
  losses: [{ name: listNet }, { name: listNet }]
  optimizer: { name: adam, learningRate: 0.002 }
  training: { epochs: 3, batchSize: 32 }          # DeepMTL2R trains far longer: try epochs: 50
  evaluation: { metrics: [ndcg@5, ndcg@10] }
  earlyStopping: { metric: ndcg@10, task: relevance }

grid:
  strategies:            # each method runs once per preference row (if it uses one) and seed
    - { id: ls }         # linear scalarization
    - { id: wc }         # weighted Chebyshev
    # - { id: mgda }     # methods without a preference run once per seed
    # - { id: ec }       # epsilon-constraint runs once per entry of grid.epsilons
  preferences:           # the rows for methods that declare needs.preference
    generator: list
    rows: [[0.8, 0.2], [0.2, 0.8]]
    # generator: deepmtl2r                          # DeepMTL2R's 10 rows [x, 1 - x], x = 0.001 + 0.11 k
    # generator: lattice, divisions: 4              # every multiple of 1/4 on the simplex
    # generator: dirichlet, count: 10, seed: 0      # seeded random rows (any number of tasks)
  # epsilons: [0.5, 1.0, 2.0]                       # EC bounds on the auxiliary losses
  seeds: [42]            # more seeds: [1, 2, 3]
  baselines: true        # one single-task (stl) run per task: the delta_m reference

retries: 1               # a failed run is tried once more before it is recorded as failed
summary:
  metric: ndcg@10        # fronts and hypervolume in (1 - NDCG@10) per task, reference point (1, 1)
  split: test
`;
}
