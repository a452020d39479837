#!/usr/bin/env python3
"""Reference numbers for mtl2r's newer gradient-method plugins, computed by running LibMTL's own weighting
classes on random inputs (our harness, LibMTL's method code, read-only at the path given).

Usage: /usr/bin/python3 scripts/reference/libmtl_newer_methods.py /path/to/LibMTL-checkout
Writes plugins/strategy-<id>/src/fixtures/reference.json for each method run here. Each case holds the inputs
(losses, per-task gradients G [K, P], the method's options and, for stateful methods, several steps) and
LibMTL's combined shared-parameter gradient sum_i w_i g_i (or the direction it writes into .grad).
LibMTL imports qpsolvers for UPGrad; it is not installable here, so `solve_qp` is provided by scipy's SLSQP
on the same problem (strictly convex, so the solution is unique and any exact solver agrees).
"""
import importlib.util
import json
import os
import sys
import types

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def install_qpsolvers_stand_in():
    from scipy.optimize import minimize

    def solve_qp(P, q, G, h, solver=None):
        # min 0.5 x^T P x + q^T x  s.t.  G x <= h
        n = P.shape[0]
        cons = {"type": "ineq", "fun": lambda x: h - G @ x, "jac": lambda x: -G}
        x0 = np.linalg.lstsq(G, h, rcond=None)[0] + 1.0
        res = minimize(lambda x: 0.5 * x @ P @ x + q @ x, x0, jac=lambda x: P @ x + q,
                       constraints=[cons], method="SLSQP", options={"ftol": 1e-15, "maxiter": 1000})
        return res.x

    module = types.ModuleType("qpsolvers")
    module.solve_qp = solve_qp
    sys.modules["qpsolvers"] = module


def load_weighting(libmtl, name):
    base = os.path.join(libmtl, "LibMTL", "weighting")
    sys.modules.setdefault("LibMTL", types.ModuleType("LibMTL"))
    sys.modules.setdefault("LibMTL.weighting", types.ModuleType("LibMTL.weighting"))
    if "LibMTL.weighting.abstract_weighting" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "LibMTL.weighting.abstract_weighting", os.path.join(base, "abstract_weighting.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["LibMTL.weighting.abstract_weighting"] = module
    spec = importlib.util.spec_from_file_location(name, os.path.join(base, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


class Harness:
    """Stands in for LibMTL's model: per-task gradients are given, the combined gradient is captured."""

    def __init__(self, cls, task_num, grad_dim):
        self.method = cls()
        m = self.method
        m.task_num = task_num
        m.device = torch.device("cpu")
        m.rep_grad = False
        m.grad_dim = grad_dim
        m.grad_index = [grad_dim]
        m.epoch = 0
        m.encoder = torch.nn.Linear(1, 1)
        m.get_share_params = lambda: []
        m.zero_grad_share_params = lambda: None
        m._compute_grad_dim = lambda: None
        self.grads = None
        self.combined = None
        m._compute_grad = self._compute_grad
        m._get_grads = lambda losses, mode="backward": self._compute_grad(losses, mode)
        m._reset_grad = self._reset_grad
        m._backward_new_grads = self._backward_new_grads

    def _compute_grad(self, losses, mode, rep_grad=False):
        # d/dtheta of f(L_i) = f'(L_i) g_i: LibMTL passes log(losses) for DB_MTL; differentiate that map.
        scale = torch.autograd.grad(losses.sum(), self.raw_losses, retain_graph=True)[0]
        return self.grads * scale[:, None]

    def _reset_grad(self, new_grads):
        self.combined = new_grads.detach().clone()

    def _backward_new_grads(self, batch_weight, per_grads=None, grads=None):
        self.combined = sum(batch_weight[i] * grads[i] for i in range(len(batch_weight))).detach().clone()

    def step(self, losses, grads, epoch=0, **kwargs):
        self.grads = torch.tensor(grads)
        self.raw_losses = torch.tensor(losses, requires_grad=True)
        self.method.epoch = epoch
        self.combined = None
        # identity map so methods that call backward() on a weighted loss sum leave weights in .grad
        losses_t = self.raw_losses * 1.0
        out = self.method.backward(losses_t, **kwargs)
        if self.combined is None:
            weights = self.raw_losses.grad
            self.combined = (weights[:, None] * self.grads).sum(0)
        return self.combined.numpy().tolist(), (None if out is None else np.asarray(out, dtype=float).tolist())


def random_case(rng, k, p, conflict):
    common = rng.normal(size=p)
    grads = np.stack([(1 if i % 2 == 0 else -conflict) * common + rng.normal(size=p) * (1 + i / 2) for i in range(k)])
    losses = rng.uniform(0.2, 2.0, size=k)
    return losses, grads


def single_step_cases(libmtl, name, kwargs, seeds=8):
    cls = load_weighting(libmtl, name)
    rng = np.random.default_rng(20261202)
    cases = []
    for case in range(seeds):
        k = 2 + case % 4
        p = 7 + 3 * case
        losses, grads = random_case(rng, k, p, conflict=0.3 + 0.2 * (case % 3))
        harness = Harness(cls, k, p)
        combined, weights = harness.step(losses, grads, **kwargs)
        cases.append({"losses": losses.tolist(), "grads": grads.tolist(), "combined": combined})
    return cases


def multi_step_cases(libmtl, name, kwargs, steps=6, seeds=4, epochs_of=lambda s: 0):
    cls = load_weighting(libmtl, name)
    rng = np.random.default_rng(7)
    runs = []
    for case in range(seeds):
        k = 2 + case % 3
        p = 9 + 4 * case
        harness = Harness(cls, k, p)
        if hasattr(harness.method, "init_param"):
            harness.method.init_param()
        history = []
        for s in range(steps):
            losses, grads = random_case(rng, k, p, conflict=0.5)
            losses = losses * 0.9**s
            combined, weights = harness.step(losses, grads, epoch=epochs_of(s), **kwargs)
            history.append({"losses": losses.tolist(), "grads": grads.tolist(), "epoch": epochs_of(s),
                            "combined": combined})
        runs.append(history)
    return runs


def write(plugin_dir, payload):
    path = os.path.join(ROOT, "plugins", plugin_dir, "src", "fixtures", "reference.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(payload, f)
    print("wrote", os.path.relpath(path, ROOT))


def config_direct_cases(seeds=8):
    """ConFIG is not in LibMTL: the paper's construction (Liu et al. 2025, Eq. 2-3) in coordinates, with numpy's
    SVD pseudo-inverse of the unit-gradient matrix, an independent path from mtl2r's Gram-matrix algebra."""
    rng = np.random.default_rng(2025)
    cases = []
    for case in range(seeds):
        k = 2 + case % 4
        p = 6 + 3 * case
        losses, grads = random_case(rng, k, p, conflict=0.4 + 0.2 * (case % 3))
        units = grads / np.linalg.norm(grads, axis=1, keepdims=True)
        v = np.linalg.pinv(units) @ np.ones(k)
        direction = v / np.linalg.norm(v)
        combined = (grads @ direction).sum() * direction
        cases.append({"losses": losses.tolist(), "grads": grads.tolist(), "combined": combined.tolist()})
    return cases


def gradvac_runs(libmtl, group_type, split):
    """GradVac with two tasks (LibMTL shuffles the other tasks with Python's random: with K = 2 there is one
    order), over several steps so the EMA targets matter; `split` cuts the columns into LibMTL's groups."""
    cls = load_weighting(libmtl, "GradVac")
    rng = np.random.default_rng(11 + group_type)
    runs = []
    for case in range(3):
        p = 10 + 2 * case
        harness = Harness(cls, 2, p)
        harness.method.grad_index = [split, p - split]
        harness.method.init_param()
        history = []
        for s in range(6):
            losses, grads = random_case(rng, 2, p, conflict=1.2)
            combined, _ = harness.step(losses, grads, GradVac_beta=0.5, GradVac_group_type=group_type)
            history.append({"losses": losses.tolist(), "grads": grads.tolist(), "combined": combined})
        runs.append(history)
    return runs


METHODS = {
    "gradvac": lambda lib: {"split": 4, "whole": gradvac_runs(lib, 0, 4), "variable": gradvac_runs(lib, 2, 4)},
    "db-mtl": lambda lib: {"beta": 0.9, "betaSigma": 0.5,
                           "runs": multi_step_cases(lib, "DB_MTL", {"DB_beta": 0.9, "DB_beta_sigma": 0.5}, steps=5)},
    "excess-mtl": lambda lib: {"robustStepSize": 0.5,
                               "runs": multi_step_cases(lib, "ExcessMTL", {"robust_step_size": 0.5}, steps=6)},
    "stch": lambda lib: {"mu": 0.5, "warmupEpochs": 1,
                         "runs": multi_step_cases(lib, "STCH", {"STCH_mu": 0.5, "STCH_warmup_epoch": 1},
                                                  steps=8, epochs_of=lambda s: s // 2)},
    "config": lambda lib: {"cases": config_direct_cases()},
    "aligned-mtl": lambda lib: {"cases": single_step_cases(lib, "Aligned_MTL", {})},
    "upgrad": lambda lib: {"cases": single_step_cases(lib, "UPGrad", {"UPGrad_norm_eps": 1e-4, "UPGrad_reg_eps": 1e-4})},
    "fairgrad": lambda lib: {"alpha": {str(a): single_step_cases(lib, "FairGrad", {"FairGrad_alpha": a}) for a in (0.5, 1.0, 2.0)}},
}


def main():
    libmtl = sys.argv[1] if len(sys.argv) > 1 else "/work/ref/median-research-group+LibMTL"
    only = sys.argv[2:] or list(METHODS)
    install_qpsolvers_stand_in()
    for plugin in only:
        write("strategy-" + plugin, METHODS[plugin](libmtl))


if __name__ == "__main__":
    main()
