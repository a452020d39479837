#!/usr/bin/env python3
"""Reference numbers for @mtl2r/strategy-famo (written for mtl2r; it imports, never copies, the references).

Runs DeepMTL2R's FAMO (allrank/methods/weight_methods.py) and LibMTL's FAMO on random positive losses for a
few steps. The losses are leaf tensors, so the gradient of the method's weighted loss with respect to them
is exactly the weight each task's gradient gets. Two modes:
- "paper": after each step the reference's update(curr_loss) runs with the same batch's losses after the
  step (what FAMO's paper and official trainer do), with our defaults w_lr 0.025 and gamma 0.01 passed in;
- "deepmtl2r": DeepMTL2R's own defaults and training loop, which never calls update (logits stay at 0).
LibMTL's FAMO (defaults w_lr 0.025, gamma 1e-3) runs the paper mode too, as a cross-check.
cvxpy/cvxopt/qpsolvers are stubbed: FAMO does not use them.

Run: /usr/bin/python3 plugins/strategy-famo/scripts/famo-reference.py > plugins/strategy-famo/src/fixtures/famo-reference.json
Set DEEPMTL2R / LIBMTL to the checkouts (defaults under /work/ref).
"""
import json
import os
import sys
import types

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
for name in ("cvxpy", "cvxopt", "qpsolvers"):
    stub = types.ModuleType(name)
    stub.matrix = stub.solve_qp = None
    stub.solvers = types.SimpleNamespace(options={})
    sys.modules[name] = stub
sys.path.insert(0, os.environ.get("DEEPMTL2R", "/work/ref/amazon-science+DeepMTL2R"))
# LibMTL's package __init__ pulls in its whole trainer (torch_geometric...): register bare packages instead
libmtl = os.environ.get("LIBMTL", "/work/ref/median-research-group+LibMTL")
for name, folder in (("LibMTL", "LibMTL"), ("LibMTL.weighting", "LibMTL/weighting")):
    package = types.ModuleType(name)
    package.__path__ = [os.path.join(libmtl, folder)]
    sys.modules[name] = package
from allrank.methods.weight_methods import FAMO  # noqa: E402
from LibMTL.weighting.FAMO import FAMO as LibFAMO  # noqa: E402


def weights_of(loss_fn, values):
    losses = torch.tensor(values, requires_grad=True)
    loss = loss_fn(losses)
    (grad,) = torch.autograd.grad(loss, losses)
    return grad.numpy().tolist()


def libmtl_weights(method, values, lr, gamma):
    losses = torch.tensor(values, requires_grad=True)
    method.backward(losses, FAMO_w_lr=lr, FAMO_w_gamma=gamma)
    return losses.grad.numpy().tolist()


def main():
    rng = np.random.default_rng(4242)
    runs = []
    for k in (2, 3, 5):
        steps = []
        before = rng.uniform(0.2, 2.0, size=k)
        for _ in range(6):
            # each task improves by its own factor, some get worse
            after = before * rng.uniform(0.8, 1.05, size=k)
            steps.append({"lossesBefore": before.tolist(), "lossesAfter": after.tolist()})
            before = after * rng.uniform(0.95, 1.05, size=k)
        paper = FAMO(n_tasks=k, device="cpu", gamma=0.01, w_lr=0.025)
        compat = FAMO(n_tasks=k, device="cpu")
        lib = LibFAMO()
        lib.task_num, lib.device = k, "cpu"
        lib.init_param()
        for step in steps:
            step["weights"] = weights_of(lambda l: paper.get_weighted_loss(l)[0], step["lossesBefore"])
            paper.update(torch.tensor(step["lossesAfter"]))
            step["logitsAfterUpdate"] = paper.w.detach().numpy().tolist()
            step["weightsDeepMtl2r"] = weights_of(lambda l: compat.get_weighted_loss(l)[0], step["lossesBefore"])
            step["weightsLibMtl"] = libmtl_weights(lib, step["lossesBefore"], 0.025, 0.01)
            lib.update_w(torch.tensor(step["lossesAfter"]))
        runs.append({"taskCount": k, "steps": steps})
    print(json.dumps({"generator": "plugins/strategy-famo/scripts/famo-reference.py", "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
