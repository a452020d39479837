"""XGBoost rank:ndcg on the bundled MQ2008 Fold1 split, sensible defaults, early stopping on vali.

Writes one test-set score per line (file order) so the TypeScript side computes NDCG@10 with the same
metric code as mtl2r (queries without a relevant document count as 1). Run with Debian's python:
  /usr/bin/python3 bench/xgboost_mq2008.py TRAIN.gz VALI.gz TEST.gz OUT.txt
"""
import gzip
import sys

import numpy as np
import xgboost as xgb


def read_letor(path):
    labels, qids, rows = [], [], []
    with gzip.open(path, "rt") as handle:
        for line in handle:
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            labels.append(float(line[0]))
            qids.append(line[1].split(":", 1)[1])
            row = np.zeros(46, dtype=np.float32)
            for token in line[2:]:
                index, value = token.split(":", 1)
                row[int(index) - 1] = float(value)
            rows.append(row)
    groups = []
    for i, qid in enumerate(qids):
        if i == 0 or qid != qids[i - 1]:
            groups.append(0)
        groups[-1] += 1
    return np.stack(rows), np.array(labels), groups


def matrix(path):
    features, labels, groups = read_letor(path)
    data = xgb.DMatrix(features, label=labels)
    data.set_group(groups)
    return data


train, vali, test = (matrix(p) for p in sys.argv[1:4])
params = {
    "objective": "rank:ndcg",
    "eval_metric": "ndcg@10",
    "eta": 0.1,
    "max_depth": 6,
    "min_child_weight": 1,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "seed": 1,
    "nthread": 2,
}
booster = xgb.train(params, train, num_boost_round=500, evals=[(vali, "vali")], early_stopping_rounds=50, verbose_eval=False)
scores = booster.predict(test, iteration_range=(0, booster.best_iteration + 1))
with open(sys.argv[4], "w") as out:
    out.write("\n".join(f"{s:.9g}" for s in scores) + "\n")
print(f"xgboost {xgb.__version__}: best iteration {booster.best_iteration}, vali ndcg@10 (xgboost's own) {booster.best_score:.4f}")
