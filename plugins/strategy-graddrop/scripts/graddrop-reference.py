#!/usr/bin/env python3
"""Reference numbers for @mtl2r/strategy-graddrop (written for mtl2r; it imports, never copies, the reference).

Runs DeepMTL2R's GradDrop (allrank/methods/weight_methods.py) on random task gradients with the uniform
draws fixed: torch.rand_like is replaced for the call by a function returning draws this script chose
(written to the fixture), so our implementation can be fed the same draws. The shared parameters are one
vector p and task i's loss is g_i . p, so the gradient each task loss puts on p is exactly g_i and the
reference's own backward (grad2vec, mean times K in overwrite_grad, the norm clip) yields the shared
gradient it would apply. Run with max_norm 1 (DeepMTL2R's default) and max_norm 0 (no clip: the paper's sum).
Some gradient entries are exactly 0 and some coordinates are 0 for every task, to cover the ties.

Run: /usr/bin/python3 plugins/strategy-graddrop/scripts/graddrop-reference.py > plugins/strategy-graddrop/src/fixtures/graddrop-reference.json
"""
import json
import os
import sys
import types

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
for name in ("cvxpy", "cvxopt"):
    stub = types.ModuleType(name)
    stub.matrix = None
    stub.solvers = types.SimpleNamespace(options={})
    sys.modules[name] = stub
sys.path.insert(0, os.environ.get("DEEPMTL2R", "/work/ref/amazon-science+DeepMTL2R"))
from allrank.methods.weight_methods import GradDrop  # noqa: E402


def run_reference(grads, uniforms, max_norm):
    k, p = grads.shape
    method = GradDrop(n_tasks=k, device="cpu", max_norm=max_norm)
    shared = torch.nn.Parameter(torch.zeros(p))
    losses = torch.stack([torch.from_numpy(g) @ shared for g in grads])
    original = torch.rand_like
    torch.rand_like = lambda like: torch.from_numpy(uniforms).to(like.dtype)
    try:
        method.backward(losses, shared_parameters=[shared])
    finally:
        torch.rand_like = original
    return shared.grad.numpy().tolist()


def main():
    rng = np.random.default_rng(777)
    cases = []
    for k, p in ((2, 20), (3, 33), (5, 48)):
        grads = rng.normal(size=(k, p)) * np.exp(rng.uniform(-1, 1, size=(k, 1)))
        grads[rng.uniform(size=(k, p)) < 0.1] = 0.0
        grads[:, 0] = 0.0
        # float32-representable inputs, so the float32 tensors of the test hold exactly these numbers
        grads = grads.astype(np.float32).astype(np.float64)
        uniforms = rng.uniform(size=p).astype(np.float32).astype(np.float64)
        cases.append({
            "grads": grads.tolist(),
            "uniforms": uniforms.tolist(),
            "directionDeepMtl2r": run_reference(grads, uniforms, 1.0),
            "directionUnclipped": run_reference(grads, uniforms, 0.0),
        })
    print(json.dumps({"generator": "plugins/strategy-graddrop/scripts/graddrop-reference.py", "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
