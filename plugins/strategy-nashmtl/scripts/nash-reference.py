#!/usr/bin/env python3
"""Reference numbers for @mtl2r/strategy-nashmtl (written for mtl2r; no code copied from the references).

DeepMTL2R's NashMTL (allrank/methods/weight_methods.py, as the official Nash-MTL code) divides G G^T by its
Frobenius norm n and solves, by a sequence of convex problems in cvxpy/ECOS, starting from alpha = 1:
    minimise  sum(Gn alpha) + phi'(alpha_prev) . (alpha - alpha_prev) / n
    s.t.      -log(alpha_i n) - log((Gn alpha)_i) <= 0,  alpha >= 0
stopping when ||Gn alpha - 1/alpha|| < 1e-3, when alpha stops moving (1e-6), or after 20 problems.
cvxpy is not installed here, so this script solves that same sequence of problems with scipy's SLSQP, and
separately the raw fixed point alpha_i (G G^T alpha)_i = 1 to 1e-12 with scipy's root finder. Both are
written to the fixture with the gradients; the combined shared gradient of the original Nash-MTL code
(torch.nn.utils.clip_grad_norm_ to max_norm 1 after backward) and of DeepMTL2R (whose clip runs before
backward and so does nothing) are computed with torch from the fixed-point alpha.

Run: /usr/bin/python3 plugins/strategy-nashmtl/scripts/nash-reference.py > plugins/strategy-nashmtl/src/fixtures/nash-reference.json
"""
import json
import warnings

import numpy as np
import torch
from scipy.optimize import minimize, root


def reference_sequence(gtg, norm, niter=20):
    """The reference's solve_optimization, each cvxpy problem solved by SLSQP instead of ECOS."""
    gn = gtg / norm
    k = gtg.shape[0]
    alpha_t = np.ones(k)
    iterations = 0
    for _ in range(niter):
        prev = alpha_t.copy()
        phi_tag = 1 / prev + (1 / (gn @ prev)) @ gn

        def objective(a):
            return np.sum(gn @ a) + phi_tag @ (a - prev) / norm

        constraints = [
            {"type": "ineq", "fun": (lambda a, i=i: np.log(max(a[i] * norm, 1e-300)) + np.log(max((gn @ a)[i], 1e-300)))}
            for i in range(k)
        ]
        out = minimize(objective, prev, method="SLSQP", bounds=[(1e-12, None)] * k, constraints=constraints,
                       options={"ftol": 1e-14, "maxiter": 500})
        value = out.x
        iterations += 1
        if (np.linalg.norm(gn @ alpha_t - 1 / (alpha_t + 1e-10)) < 1e-3
                or np.linalg.norm(value - prev) < 1e-6):
            break
        alpha_t = value
    return alpha_t, iterations


def fixed_point(gtg):
    start = 1 / np.sqrt(np.diag(gtg))
    out = root(lambda a: a * (gtg @ a) - 1, start, method="hybr", tol=1e-13)
    return out.x  # the caller checks the residual


def combined(grads, alpha, max_norm):
    param = torch.nn.Parameter(torch.zeros(grads.shape[1], dtype=torch.float64))
    param.grad = torch.from_numpy(alpha) @ torch.from_numpy(grads)
    if max_norm > 0:
        torch.nn.utils.clip_grad_norm_([param], max_norm)
    return param.grad.numpy()


def main():
    warnings.simplefilter("ignore")  # SLSQP notes when it clips a trial point to the bounds
    rng = np.random.default_rng(20231)
    cases = []
    for case in range(12):
        k = 2 + case % 4
        p = 6 + case
        # a shared component keeps the gradients away from Pareto stationarity (a positive solution exists)
        common = rng.normal(size=p)
        scales = np.exp(rng.uniform(-1.5, 1.5, size=k))
        grads = np.stack([scales[i] * (0.8 * common + rng.normal(size=p)) for i in range(k)])
        gtg = grads @ grads.T
        norm = np.linalg.norm(gtg)
        alpha = fixed_point(gtg)
        residual = np.max(np.abs(alpha * (gtg @ alpha) - 1))
        assert residual < 1e-10, residual
        scp, scp_iterations = reference_sequence(gtg, norm)
        cases.append({
            "grads": grads.tolist(),
            "alphaFixedPoint": alpha.tolist(),
            "alphaReferenceSequence": scp.tolist(),
            "referenceSequenceIterations": scp_iterations,
            "directionNashMtlCode": combined(grads, alpha, 1.0).tolist(),
            "directionDeepMtl2r": combined(grads, alpha, 0.0).tolist(),
        })
    print(json.dumps({"generator": "plugins/strategy-nashmtl/scripts/nash-reference.py", "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
