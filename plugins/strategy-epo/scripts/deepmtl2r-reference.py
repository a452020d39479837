"""Reference weights of DeepMTL2R's EPO and WC_MGDA classes on random inputs, for the compat tests.

Runs DeepMTL2R's own code (allrank/methods/weight_methods.py, epo_qp.py) from /work/ref (or the folder in
DEEPMTL2R_ROOT) with Debian's python3-torch: /usr/bin/python3 scripts/deepmtl2r-reference.py
The reference solves its small convex problems with cvxpy/SCS, which is not installed. Stand-in modules
make its imports succeed, and the two solver calls are replaced by SciPy solves of the same problems:
- EPO: epo_qp.solve_qp_cvxpy (min ||GG alpha - a||^2 on the simplex) -> SLSQP;
- WC_MGDA: wcmgda.wc_mgda_get_alpha (max alpha.wc - u ||K alpha|| / k on the simplex, K = sqrtm(G2 + 1e-12 I)
  divided by its first-call norm, k = ||K||_2) -> SLSQP from several starts.
Everything else (gradients by autograd, GG, the preference handling, r_pref, G2, the EPO anchor and its
normalisation by ||GG||_2) is the reference's code. Losses are linear in the parameters at 0, so the task
gradients are exactly the random rows G and the losses exactly the random values.
Writes ../strategy-epo/src/fixtures/deepmtl2r-epo.json and ../strategy-wc-mgda/src/fixtures/deepmtl2r-wc-mgda.json.
"""
import contextlib
import io
import json
import os
import sys
import types

import numpy as np
import torch
from scipy.linalg import sqrtm
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get('DEEPMTL2R_ROOT', '/work/ref/amazon-science+DeepMTL2R')

# Stand-ins for the solver packages: only their import-time attributes are touched.
cvxopt = types.ModuleType('cvxopt')
cvxopt.solvers = types.SimpleNamespace(options={})
cvxopt.matrix = None
sys.modules['cvxopt'] = cvxopt
sys.modules['cvxpy'] = types.ModuleType('cvxpy')
sys.path.insert(0, ROOT)

from allrank.methods import epo_qp, weight_methods  # noqa: E402


def simplex_minimize(objective, size, starts):
    constraints = [{'type': 'eq', 'fun': lambda x: np.sum(x) - 1.0}]
    best = None
    for start in starts:
        result = minimize(objective, start, method='SLSQP', bounds=[(0.0, 1.0)] * size,
                          constraints=constraints, options={'ftol': 1e-15, 'maxiter': 1000})
        if best is None or result.fun < best.fun:
            best = result
    return np.clip(best.x, 0.0, None)


def starts_for(size):
    return [np.full(size, 1.0 / size)] + [np.eye(size)[i] * 0.9 + 0.1 / size for i in range(size)]


def solve_qp_scipy(GG, a):
    size = GG.shape[1]
    return simplex_minimize(lambda x: float(np.sum((GG @ x - a) ** 2)), size, starts_for(size))


def wc_mgda_scipy(r, wc, G2, old_alpha, old_objv, old_err=None, wb=None, u=0.01, lb=None, normalize_k=True):
    # Same problem as wcmgda.wc_mgda_get_alpha (wb = lb = 0): init_K_norm divides K and k alike.
    size = len(r)
    K = np.real(sqrtm(G2 + 1e-12 * np.eye(size)))
    K = K / np.linalg.norm(K, ord=2)
    k = np.linalg.norm(K, ord=2) if normalize_k else 1.0
    alpha = simplex_minimize(lambda x: -(x @ wc) + u * np.linalg.norm(K @ x) / k, size, starts_for(size))
    return alpha, None, None


epo_qp.solve_qp_cvxpy = solve_qp_scipy
weight_methods.wc_mgda_get_alpha = wc_mgda_scipy


def reference_weights(method_class, rows, losses, preference):
    size = len(losses)
    params = torch.zeros(rows.shape[1], dtype=torch.float64, requires_grad=True)
    G = torch.tensor(rows)
    loss_tensor = torch.stack([torch.tensor(losses[i]) + G[i] @ params for i in range(size)])
    method = method_class(size, device=torch.device('cpu'), task_weights=list(preference))
    with contextlib.redirect_stdout(io.StringIO()):  # the reference prints its mode and alpha each call
        _, extra = method.get_weighted_loss(loss_tensor, shared_parameters=[params])
    return [float(w) for w in extra['weights']]


def main():
    rng = np.random.default_rng(20261202)
    epo_cases, wc_cases = [], []
    for trial in range(24):
        size = 2 + trial % 4
        dimension = size + int(rng.integers(0, 6))
        scales = np.exp(rng.uniform(-1.5, 1.5, size))
        rows = rng.normal(size=(size, dimension)) * scales[:, None]
        # float32-exact losses and preference: the strategy sees the losses as a Float32Array.
        losses = [float(np.float32(v)) for v in rng.uniform(0.1, 2.0, size)]
        preference = [float(np.float32(v)) for v in rng.uniform(0.05, 1.0, size)]
        if trial % 6 == 0:
            # On the ray 1/r up to float32 round-off: DeepMTL2R's EPO descends (anchor a = L).
            losses = [float(np.float32(1.0 / (p * 2.0))) for p in preference]
        gram = (torch.tensor(rows) @ torch.tensor(rows).T).numpy()
        case = {
            'gram': [float(v) for v in gram.reshape(-1)],
            'losses': losses,
            'preference': preference,
        }
        epo_cases.append({**case, 'weights': reference_weights(weight_methods.EPO, rows, losses, preference)})
        u = [0.01, 0.1, 0.5][trial % 3]
        wc_class = lambda n, device, task_weights, u=u: _WcMgdaWithU(n, device=device, task_weights=task_weights, u=u)
        wc_cases.append({**case, 'u': u, 'weights': reference_weights(wc_class, rows, losses, preference)})
    write(os.path.join(HERE, '..', 'src', 'fixtures', 'deepmtl2r-epo.json'), epo_cases)
    write(os.path.join(HERE, '..', '..', 'strategy-wc-mgda', 'src', 'fixtures', 'deepmtl2r-wc-mgda.json'), wc_cases)


class _WcMgdaWithU(weight_methods.WC_MGDA):
    """The reference class hard-codes u = 0.1 in its call; this passes another u through the same call."""

    def __init__(self, n_tasks, device, task_weights, u):
        super().__init__(n_tasks, device=device, task_weights=task_weights)
        self._u = u

    def get_weighted_loss(self, losses, **kwargs):
        original = weight_methods.wc_mgda_get_alpha
        weight_methods.wc_mgda_get_alpha = lambda *args, **kw: original(*args, **{**kw, 'u': self._u})
        try:
            return super().get_weighted_loss(losses, **kwargs)
        finally:
            weight_methods.wc_mgda_get_alpha = original


def write(path, cases):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        json.dump({'source': 'plugins/strategy-epo/scripts/deepmtl2r-reference.py', 'cases': cases}, handle, indent=1)
        handle.write('\n')
    print(f'wrote {len(cases)} cases to {os.path.relpath(path)}')


if __name__ == '__main__':
    main()
