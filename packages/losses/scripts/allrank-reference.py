"""Reference values and gradients of allRank's losses, for src/allrank-agreement.test.ts.

Runs allRank's own loss functions (allrank/models/losses in a read-only checkout given by --reference) on
random padded batches and records, per case, the loss value and its gradient with respect to the scores
(torch autograd, float32, as allRank trains). Padding follows allRank's convention (label -1); the fixture
stores it as mtl2r's mask instead. Each case names the mtl2r loss and options that should reproduce it, and
whether mtl2r's default already agrees or only `compat: 'allrank'` does.

    /usr/bin/python3 packages/losses/scripts/allrank-reference.py \
        --reference /work/ref/allegro+allRank --out packages/losses/src/fixtures/allrank.json
"""

import argparse
import json
import sys
import types
from pathlib import Path

import numpy as np
import torch

PADDED = -1.0


def stub_module(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module


def random_batch(rng, batch, length, max_label, score_scale=1.0, empty_list=True):
    """Scores, labels, mask with every list holding >= 2 real items; optionally one list without relevance."""
    scores = (score_scale * rng.normal(0, 1, (batch, length))).astype(np.float32)
    labels = rng.integers(0, max_label + 1, (batch, length)).astype(np.float32)
    mask = np.ones((batch, length), dtype=np.float32)
    for b in range(batch):
        real = rng.integers(2, length + 1)
        mask[b, real:] = 0
    if empty_list:
        labels[batch - 1, :] = 0  # a list with nothing to learn for the graded losses
    labels[mask == 0] = 0
    return scores, labels, mask


def reference_value_and_grad(function, scores, labels, mask, **kwargs):
    y_pred = torch.tensor(scores, requires_grad=True)
    y_true = torch.tensor(np.where(mask > 0, labels, PADDED).astype(np.float32))
    value = function(y_pred, y_true, **kwargs)
    value.backward()
    return float(value), y_pred.grad.double().tolist()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", default="/work/ref/allegro+allRank")
    parser.add_argument("--out", default="packages/losses/src/fixtures/allrank.json")
    args = parser.parse_args()
    sys.path.insert(0, args.reference)
    # The loss modules import two helpers whose modules pull in data-loading and cloud dependencies
    # (sklearn, torchvision, gcsfs); minimal stand-ins with the two names they use suffice.
    stub_module("allrank.data.dataset_loading", PADDED_Y_VALUE=PADDED)
    stub_module("allrank.models.model_utils", get_torch_device=lambda: torch.device("cpu"))
    from allrank.models.losses import (  # noqa: E402
        approxNDCGLoss, binary_listNet, lambdaLoss, listMLE, listNet, neuralNDCG, neuralNDCG_transposed, rankNet,
    )

    rng = np.random.default_rng(20261202)
    torch.manual_seed(20261202)
    cases = []

    def add(name, loss, options, default_agrees, function, batch, **kwargs):
        scores, labels, mask = batch
        value, grad = reference_value_and_grad(function, scores, labels, mask, **kwargs)
        cases.append({
            "name": name, "loss": loss, "options": options, "defaultAgrees": default_agrees,
            # rankNet and (row-form) neuralNDCG agree by default; they have no compat switch.
            "compat": loss not in ("rankNet", "neuralNDCG"),
            "scores": scores.tolist(), "labels": labels.tolist(), "mask": mask.tolist(),
            "value": value, "grad": grad,
        })

    for trial in range(2):
        # ListNet: allRank's log(softmax + 1e-10) differs from an exact log-softmax by ~1e-10 here.
        add(f"listNet {trial}", "listNet", {}, True, listNet, random_batch(rng, 4, 8, 4, empty_list=False))
        # Binary ListNet on 0/1 labels; the last list has no click: allRank averages its 0 in.
        add(f"binaryListNet {trial}", "binaryListNet", {}, False, binary_listNet, random_batch(rng, 4, 8, 1))
        add(f"approxNDCG {trial}", "approxNDCG", {"alpha": 1}, False, approxNDCGLoss, random_batch(rng, 4, 8, 4))
        add(f"approxNDCG alpha 2 {trial}", "approxNDCG", {"alpha": 2}, False, approxNDCGLoss,
            random_batch(rng, 3, 6, 2), alpha=2.0)
        add(f"rankNet {trial}", "rankNet", {}, True, rankNet, random_batch(rng, 4, 8, 4))
        add(f"rankNet squaredLabelDiff {trial}", "rankNet", {"weighting": "squaredLabelDiff"}, True, rankNet,
            random_batch(rng, 4, 8, 4), weight_by_diff_powed=True)

    # ListMLE with distinct labels, so allRank's random tie break cannot matter; wide score gaps push tail sums
    # below its 1e-10 guard.
    for name, scale, default_agrees in (("listMLE", 1.0, True), ("listMLE wide gaps (guarded)", 12.0, False)):
        scores, _, mask = random_batch(rng, 4, 8, 4, score_scale=scale, empty_list=False)
        labels = np.stack([rng.permutation(8) for _ in range(4)]).astype(np.float32)
        labels[mask == 0] = 0
        add(name, "listMLE", {}, default_agrees, listMLE, (scores, labels, mask))

    # NeuralNDCG, both forms (deterministic NeuralSort + Sinkhorn, 50 iterations, tol 1e-6).
    for gain, powered in (("exponential", True), ("linear", False)):
        for k in (None, 3):
            options = {"gain": gain, "k": k}
            add(f"neuralNDCG {gain} k {k}", "neuralNDCG", options, True, neuralNDCG, random_batch(rng, 3, 6, 3),
                powered_relevancies=powered, k=k)
            # allRank's transposed form takes the ideal DCG with exponential gains whatever the gain.
            add(f"neuralNDCGTransposed {gain} k {k}", "neuralNDCGTransposed", options, powered,
                neuralNDCG_transposed, random_batch(rng, 3, 6, 3), powered_relevancies=powered, k=k)

    schemes = [
        ("ndcgLoss2++", "ndcgLoss2PP_scheme"), ("ndcgLoss1", "ndcgLoss1_scheme"), ("ndcgLoss2", "ndcgLoss2_scheme"),
        ("lambdaRank", "lambdaRank_scheme"), ("rankNet", None), ("rankNetLabelDiff", "rankNetWeightedByGTDiff_scheme"),
        ("rankNetSquaredLabelDiff", "rankNetWeightedByGTDiffPowed_scheme"),
    ]
    for ours, theirs in schemes:
        for reduction in ("mean", "sum"):
            options = {"weighting": ours, "reduction": reduction}
            # Under rankNetSquaredLabelDiff (pair weights up to 16) the clamps already bite at ordinary gaps.
            default_agrees = reduction == "mean" and ours != "rankNetSquaredLabelDiff"
            add(f"lambdaLoss {ours} {reduction}", "lambdaLoss", options, default_agrees, lambdaLoss,
                random_batch(rng, 4, 8, 4), weighing_scheme=theirs, reduction=reduction)
    # Truncation at k, sigma and mu, and the natural logarithm.
    add("lambdaLoss ndcgLoss2++ k 3 sigma 2 mu 5", "lambdaLoss",
        {"weighting": "ndcgLoss2++", "k": 3, "sigma": 2, "mu": 5}, True, lambdaLoss, random_batch(rng, 4, 8, 4),
        weighing_scheme="ndcgLoss2PP_scheme", k=3, sigma=2.0, mu=5.0, reduction="mean")
    add("lambdaLoss rankNet natural log", "lambdaLoss", {"weighting": "rankNet", "reductionLog": "natural"}, True,
        lambdaLoss, random_batch(rng, 4, 8, 4), weighing_scheme=None, reduction="mean", reduction_log="natural")
    # Wide score gaps: allRank's clamps cap pair losses (at -log2(1e-10) = 33.2) with zero gradient.
    add("lambdaLoss rankNetSquaredLabelDiff wide gaps (clamped)", "lambdaLoss",
        {"weighting": "rankNetSquaredLabelDiff"}, False, lambdaLoss, random_batch(rng, 4, 8, 4, score_scale=4.0),
        weighing_scheme="rankNetWeightedByGTDiffPowed_scheme", reduction="mean")
    add("lambdaLoss rankNet wide gaps (clamped)", "lambdaLoss", {"weighting": "rankNet"}, False, lambdaLoss,
        random_batch(rng, 3, 6, 4, score_scale=20.0), weighing_scheme=None, reduction="mean")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "generatedBy": "packages/losses/scripts/allrank-reference.py",
        "reference": "allegro/allRank allrank/models/losses",
        "torch": torch.__version__,
        "cases": cases,
    }
    out.write_text(json.dumps(document, indent=1) + "\n")
    print(f"{len(cases)} cases -> {out}")


if __name__ == "__main__":
    main()
