#!/usr/bin/env python3
"""Reference numbers for @mtl2r/strategy-sdmgrad (written for mtl2r; it imports, never copies, the references).

Runs DeepMTL2R's SDMGrad (allrank/methods/weight_methods.py) and LibMTL's SDMGrad inner loop on random task
gradients over several steps (the simplex weights w carry over between steps, as in training). The shared
parameters are one vector p and task i's loss is g_i . p, so the gradient each task loss puts on p is
exactly g_i and the reference's own backward (grad2vec, the K scaling in overwrite_grad, the norm clip)
produces the shared gradient it would apply. cvxpy/cvxopt are stubbed: SDMGrad does not use them.

Run: /usr/bin/python3 plugins/strategy-sdmgrad/scripts/sdmgrad-reference.py > plugins/strategy-sdmgrad/src/fixtures/sdmgrad-reference.json
Set DEEPMTL2R to the DeepMTL2R checkout (default /work/ref/amazon-science+DeepMTL2R).
"""
import json
import os
import sys
import types

import numpy as np
import torch

torch.set_default_dtype(torch.float64)  # compare algorithms, not float32 round-off
for name in ("cvxpy", "cvxopt"):
    stub = types.ModuleType(name)
    stub.matrix = None
    stub.solvers = types.SimpleNamespace(options={})
    sys.modules[name] = stub
sys.path.insert(0, os.environ.get("DEEPMTL2R", "/work/ref/amazon-science+DeepMTL2R"))
from allrank.methods.weight_methods import SDMGrad  # noqa: E402


def main():
    rng = np.random.default_rng(6060)
    runs = []
    for k, p, lamda in ((2, 9, 0.6), (3, 12, 0.6), (5, 16, 0.3)):
        method = SDMGrad(n_tasks=k, device="cpu", lamda=lamda)
        steps = []
        for _ in range(3):
            common = rng.normal(size=p)
            grads = np.stack([np.exp(rng.uniform(-1, 1)) * (rng.uniform(-0.5, 1) * common + rng.normal(size=p))
                              for _ in range(k)])
            shared = torch.nn.Parameter(torch.zeros(p))
            losses = torch.stack([torch.from_numpy(g) @ shared for g in grads])
            w_before = method.w.clone().numpy()
            # the paper's direction d = (G^T w + lambda g0) / (1 + lambda), before the reference's scaling
            d, _ = method.sdmgrad(method.w.clone(), [torch.from_numpy(grads.T.copy())], lamda=lamda, niter=method.niter)
            method.w = torch.from_numpy(w_before)  # undo: backward below takes the same step for real
            method.backward(losses, shared_parameters=[shared])
            steps.append({
                "grads": grads.tolist(),
                "direction": d.numpy().tolist(),
                "simplexWeights": method.w.numpy().tolist(),
                "directionDeepMtl2r": shared.grad.numpy().tolist(),
            })
        runs.append({"lambda": lamda, "steps": steps})
    print(json.dumps({"generator": "plugins/strategy-sdmgrad/scripts/sdmgrad-reference.py", "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
