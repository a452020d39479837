/**
 * The commented starter config `mtl2r init` writes: a short multi-task run on the bundled MQ2008 data
 * (relevance plus PageRank and inlink count taken from features 41 and 42 and removed from the input),
 * sized to finish in a few minutes on the wasm backend on two cores.
 */
export function starterConfigYaml(schemaPath = 'node_modules/@mtl2r/trainer/config.schema.json'): string {
  return `# yaml-language-server: $schema=${schemaPath}
# mtl2r training config (docs/config.md has every option). Train with:
#   mtl2r train -c mtl2r.yaml --out runs/mq2008-ls
# Override any value from the command line: --set training.epochs=5 --set strategy.id=mgda

seed: 42                 # one seed drives init, dropout, shuffling and the strategy
backend: auto            # auto | wasm | cpu | node | node-gpu

data:
  dataset: mq2008        # bundled LETOR 4.0 MQ2008 Fold1; or give train/vali/test file paths
  spec:
    tasks:               # task 0 is the graded relevance label; the others come from feature columns
      - { name: relevance, source: label }
      - { name: pagerank, feature: 41, transform: "quantile-grades:5" }   # removed from the input
      - { name: inlinks, feature: 42, transform: "quantile-grades:5" }    # removed from the input
    normalize: none      # MQ2008 is already query-level normalised; log-zscore for MSLR-WEB30K

model:                   # DeepMTL2R defaults are d 128, 4 blocks, 4 heads, FFN 512, dropout 0.3
  modelDim: 64
  blocks: 2
  heads: 4
  ffnDim: 128
  dropout: 0.1
  perTaskHeads: true     # one scoring head per task; false = DeepMTL2R's one score shared by all tasks

losses:                  # one loss per task, in the order of data.spec.tasks
  - { name: listNet }
  - { name: listNet }
  - { name: listNet }

strategy:
  id: ls                 # see \`mtl2r strategies\`
  preference: [0.6, 0.2, 0.2]   # one weight per task (normalised to sum 1)
  options: {}

optimizer:
  name: adam             # adam | adamw | sgd
  learningRate: 0.001
  # clipNorm: 1          # clip the global gradient norm
  schedule: { kind: constant, warmupSteps: 0 }

training:
  epochs: 15
  batchSize: 32          # queries per step
  maxSlateLength: 240    # longer training lists are sampled down
  bucketByLength: true   # batch lists of similar length: less padding, same model

evaluation:
  metrics: [ndcg@1, ndcg@5, ndcg@10, ndcg@30]
  # baselines: { relevance: { ndcg@10: 0.50 } }   # single-task values: logs delta_m

earlyStopping:
  metric: ndcg@10
  task: relevance
  patience: 5            # stop after 5 validations without improvement
`;
}
