#!/usr/bin/env python3
"""Reference combined gradients for the mgda, log_mgda, imtl, log_imtl, cagrad and log_cagrad plugins.

Runs DeepMTL2R's own method classes (allrank/methods/weight_methods.py, read from a checkout given by
DEEPMTL2R, default /work/ref/amazon-science+DeepMTL2R) on random gradient matrices and writes, per plugin,
src/fixtures/reference.json with the combined shared-parameter gradient of
  - the paper's method ("default"), and
  - DeepMTL2R's code ("deepmtl2r": its scale factors, clamps, solvers and the norm-1 clip).
Each task loss is linear in the shared parameters theta (L_i = l_i + g_i . theta at theta = 0), so its
gradient is g_i and its value l_i; the combined gradient is theta.grad after the method's backward.

Run from the repository root: /usr/bin/python3 packages/solvers/scripts/reference-weightings.py
(python3-torch, numpy, scipy; cvxpy and cvxopt are only imported, by methods not used here, so stubs do).
"""
import itertools
import json
import os
import sys
import types

import numpy as np
import torch

for stubbed in ("cvxpy", "cvxopt"):
    if stubbed not in sys.modules:
        module = types.ModuleType(stubbed)
        module.matrix = None
        module.solvers = types.SimpleNamespace(options={})
        sys.modules[stubbed] = module
sys.path.insert(0, os.environ.get("DEEPMTL2R", "/work/ref/amazon-science+DeepMTL2R"))
from allrank.methods import weight_methods as wm  # noqa: E402
import scipy.optimize  # noqa: E402

torch.set_default_dtype(torch.float64)
DIMENSION = 12
ROOT = os.getcwd()


def tight_minimize(fun, x0, **kwargs):
    """SLSQP as the reference calls it, but run to convergence, so the fixture holds the exact inner optimum."""
    return scipy.optimize.minimize(fun, x0, tol=1e-15, options={"maxiter": 2000, "ftol": 1e-15}, **kwargs)


def cases():
    rng = np.random.default_rng(20261202)
    out = []
    for k in (2, 3, 4, 5):
        for trial in range(3):
            scales = np.exp(rng.uniform(np.log(0.3), np.log(3.0), size=k))
            grads = rng.normal(size=(k, DIMENSION)) * scales[:, None]
            out.append((f"K={k} random #{trial}", grads, rng.uniform(0.2, 2.0, size=k)))
    # Small gradients: the reference's norm-1 clip does not act.
    grads = 0.02 * rng.normal(size=(3, DIMENSION))
    out.append(("K=3 small gradients", grads, rng.uniform(0.2, 2.0, size=3)))
    # A dominated pair: g_1 is nearly 0.4 g_0, so the pair rule sits at an end (the reference's 0.999 / 0.001).
    g0 = rng.normal(size=DIMENSION)
    grads = np.stack([g0, 0.4 * g0 + 0.01 * rng.normal(size=DIMENSION)])
    out.append(("K=2 dominated pair", grads, np.array([0.7, 1.3])))
    # Three tasks where two nearly agree: the min-norm point is on an edge.
    base = rng.normal(size=DIMENSION)
    grads = np.stack([base, 0.8 * base + 0.1 * rng.normal(size=DIMENSION), -0.3 * base + rng.normal(size=DIMENSION)])
    out.append(("K=3 two nearly agree", grads, np.array([0.5, 1.0, 1.5])))
    return out


def run_method(method, grads, losses):
    """theta.grad after DeepMTL2R's backward, with L_i = l_i + g_i . theta at theta = 0."""
    theta = torch.nn.Parameter(torch.zeros(grads.shape[1]))
    g = torch.tensor(grads)
    stacked = torch.stack([torch.tensor(float(l)) + (g[i] * theta).sum() for i, l in enumerate(losses)])
    method.backward(
        losses=stacked,
        shared_parameters=[theta],
        task_specific_parameters=[],
        last_shared_parameters=[theta],
        representation=None,
    )
    return theta.grad.detach().numpy().copy()


def exact_min_norm(gram):
    """Exact min-norm point on the simplex by enumerating supports (K <= 5): our own check of the paper's MGDA."""
    k = gram.shape[0]
    best, best_value = None, np.inf
    for size in range(1, k + 1):
        for support in itertools.combinations(range(k), size):
            idx = list(support)
            kkt = np.zeros((size + 1, size + 1))
            kkt[:size, :size] = gram[np.ix_(idx, idx)]
            kkt[:size, size] = 1
            kkt[size, :size] = 1
            rhs = np.zeros(size + 1)
            rhs[size] = 1
            solution = np.linalg.lstsq(kkt, rhs, rcond=None)[0]
            a = np.zeros(k)
            a[idx] = solution[:size]
            if np.any(a < -1e-12):
                continue
            value = a @ gram @ a
            if np.all(gram @ a >= value - 1e-10 * max(1.0, np.max(np.diag(gram)))) and value < best_value - 1e-15:
                best, best_value = a, value
    return best


def cagrad_direction(grads, c=0.4):
    """The paper's CAGrad direction (rescale 1 / (1 + c^2)) by DeepMTL2R's `cagrad` (as LibMTL's), inner problem converged."""
    method = wm.CAGrad(grads.shape[0], torch.device("cpu"), c=c)
    direction, _, _ = method.cagrad(torch.tensor(grads.T.copy()), alpha=c, rescale=1)
    return direction.numpy()


def main():
    fixtures = {key: [] for key in ("mgda", "log-mgda", "imtl", "log-imtl", "cagrad", "log-cagrad")}
    slsqp_gap = 0.0
    cpu = torch.device("cpu")
    for name, grads, losses in cases():
        k = grads.shape[0]
        gram = grads @ grads.T
        common = {"name": name, "grads": grads.tolist(), "losses": losses.tolist()}
        log_grads = grads / losses[:, None]

        mgda_compat_loss = wm.MGDA(k, cpu, normalization="loss")
        fixtures["mgda"].append({
            **common,
            "expected": {
                "default": (exact_min_norm(gram) @ grads).tolist(),
                "deepmtl2r": run_method(wm.MGDA(k, cpu), grads, losses).tolist(),
                "deepmtl2r_loss": run_method(mgda_compat_loss, grads, losses).tolist(),
            },
        })
        fixtures["log-mgda"].append({
            **common,
            "expected": {
                "default": (exact_min_norm(log_grads @ log_grads.T) @ log_grads).tolist(),
                "deepmtl2r": run_method(wm.LOG_MGDA(k, cpu), grads, losses).tolist(),
            },
        })
        fixtures["imtl"].append({**common, "expected": {"default": run_method(wm.IMTLG(k, cpu), grads, losses).tolist()}})
        fixtures["log-imtl"].append(
            {**common, "expected": {"default": run_method(wm.LOG_IMTLG(k, cpu), grads, losses).tolist()}}
        )

        wm.minimize = scipy.optimize.minimize
        slsqp = run_method(wm.CAGrad(k, cpu, c=0.4), grads, losses)
        wm.minimize = tight_minimize
        cagrad_compat = run_method(wm.CAGrad(k, cpu, c=0.4), grads, losses)
        slsqp_gap = max(slsqp_gap, float(np.linalg.norm(slsqp - cagrad_compat) / np.linalg.norm(cagrad_compat)))
        fixtures["cagrad"].append({
            **common,
            "expected": {"default": cagrad_direction(grads).tolist(), "deepmtl2r": cagrad_compat.tolist()},
        })
        fixtures["log-cagrad"].append({
            **common,
            "expected": {
                "default": cagrad_direction(log_grads).tolist(),
                "deepmtl2r": run_method(wm.LOG_CAGrad(k, cpu, c=0.4), grads, losses).tolist(),
            },
        })
        wm.minimize = scipy.optimize.minimize

    for folder, entries in fixtures.items():
        path = os.path.join(ROOT, "plugins", f"strategy-{folder}", "src", "fixtures", "reference.json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            json.dump({"generator": "packages/solvers/scripts/reference-weightings.py", "cases": entries}, handle)
            handle.write("\n")
        print(f"wrote {path} ({len(entries)} cases)")
    print(f"cagrad compat: SLSQP at its default tolerance vs converged, max relative difference {slsqp_gap:.2e}")


if __name__ == "__main__":
    main()
