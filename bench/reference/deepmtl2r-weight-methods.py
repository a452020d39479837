"""Reference numbers for the `compat: 'deepmtl2r'` mode of mtl2r's strategy plugins.

Runs DeepMTL2R's own weight-method classes (allrank/methods/weight_methods.py, read-only checkout given by
--reference) on random losses and per-task gradients and writes, per plugin, the combined gradient of the
shared parameters the reference leaves in `.grad` after its `backward` (the quantity its optimizer steps
along). The tests in plugins/strategy-<id>/src/*.deepmtl2r.test.ts check that compat mode reproduces it.

Each task loss is linear in a shared parameter vector theta (at theta = 0): L_i(theta) = c_i + g_i . theta,
so the loss value is c_i and its gradient is g_i, and the reference's autograd sees exactly those numbers.

    /usr/bin/python3 bench/reference/deepmtl2r-weight-methods.py \
        --reference /work/ref/amazon-science+DeepMTL2R --out plugins
"""

import argparse
import json
import random
import sys
import types
from pathlib import Path

import numpy as np
import torch


def import_weight_methods(reference: str):
    # The module imports cvxpy / cvxopt at the top for methods we do not exercise here (Nash-MTL, EPO,
    # WC-MGDA); empty stand-ins let it import without them.
    for name in ("cvxpy", "cvxopt"):
        if name not in sys.modules:
            stub = types.ModuleType(name)
            stub.matrix = None
            stub.solvers = types.SimpleNamespace(options={})
            sys.modules[name] = stub
    sys.path.insert(0, reference)
    from allrank.methods import weight_methods  # noqa: E402

    return weight_methods


def linear_losses(values, grads):
    """Loss tensor [K] with values c_i and gradients g_i with respect to a fresh theta [P] (float32)."""
    theta = torch.zeros(grads.shape[1], dtype=torch.float32, requires_grad=True)
    g = torch.tensor(grads, dtype=torch.float32)
    c = torch.tensor(values, dtype=torch.float32)
    return c + g @ theta, theta


def run_steps(method, steps, parameters_kw=True):
    """One reference backward per (losses, grads) step; returns the shared combined gradient of each."""
    combined = []
    for values, grads in steps:
        losses, theta = linear_losses(values, grads)
        if parameters_kw:
            method.backward(losses=losses, shared_parameters=[theta])
        else:
            method.backward(losses=losses)
        combined.append(theta.grad.double().tolist())
    return combined


def random_steps(rng, count, task_count, size, low=0.05, high=3.0):
    return [
        (rng.uniform(low, high, task_count).astype(np.float32), rng.normal(0, 1, (task_count, size)).astype(np.float32))
        for _ in range(count)
    ]


def as_json_steps(steps):
    return [
        {"losses": [float(v) for v in values], "grads": [[float(v) for v in row] for row in grads]}
        for values, grads in steps
    ]


def case(name, preference, steps, combined, **extra):
    return {"name": name, "preference": preference, "steps": as_json_steps(steps), "combined": combined, **extra}


def scalarization_cases(wm, cls, rng, preferences, step_count=3):
    cases = []
    for preference in preferences:
        task_count = 2 if preference is None else len(preference)
        steps = random_steps(rng, step_count, task_count, 6)
        method = cls(n_tasks=task_count, device=torch.device("cpu"), task_weights=preference)
        cases.append(case(f"preference {preference}", preference, steps, run_steps(method, steps)))
    return cases


PREFERENCES = [None, [0.001, 0.999], [0.78, 0.22], [1.0, 0.0], [2.0, 1.0, 0.5], [0.2, 0.3, 0.1, 0.25, 0.15]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", default="/work/ref/amazon-science+DeepMTL2R")
    parser.add_argument("--out", default="plugins")
    args = parser.parse_args()
    wm = import_weight_methods(args.reference)
    rng = np.random.default_rng(20261202)
    torch.manual_seed(20261202)
    random.seed(20261202)  # PCGrad's shuffles
    out = Path(args.out)
    fixtures = {}

    fixtures["ls"] = scalarization_cases(wm, wm.LinearScalarization, rng, PREFERENCES)
    fixtures["stl"] = scalarization_cases(wm, wm.STL, rng, [[1.0, 0.0], [0.0, 1.0, 0.0], [0.7, 0.3], None])
    fixtures["scaleinvls"] = scalarization_cases(wm, wm.ScaleInvariantLinearScalarization, rng, PREFERENCES)
    fixtures["wc"] = scalarization_cases(wm, wm.WeightedChebyshev, rng, PREFERENCES)
    # A tie: both weighted losses equal, the reference puts weight 1 on each.
    tie_steps = [(np.array([0.5, 1.0], dtype=np.float32), rng.normal(0, 1, (2, 6)).astype(np.float32))]
    tie_method = wm.WeightedChebyshev(n_tasks=2, device=torch.device("cpu"), task_weights=[2.0, 1.0])
    fixtures["wc"].append(case("tie", [2.0, 1.0], tie_steps, run_steps(tie_method, tie_steps)))
    fixtures["soft_wc"] = scalarization_cases(wm, wm.SoftWeightedChebyshev, rng, PREFERENCES)

    # EC: the driver passes task_weights [1, 0, ...] and one bound per auxiliary task; a trajectory where
    # auxiliary losses cross their bounds in both directions.
    ec_cases = []
    for epsilon in ([0.8], [0.5, 1.5]):
        task_count = len(epsilon) + 1
        steps = random_steps(rng, 12, task_count, 5, low=0.2, high=2.0)
        method = wm.EC(n_tasks=task_count, device=torch.device("cpu"), task_weights=torch.tensor([1] + [0] * len(epsilon)), epsilon=epsilon)
        ec_cases.append(case(f"epsilon {epsilon}", None, steps, run_steps(method, steps), epsilon=epsilon))
    fixtures["ec"] = ec_cases

    # UW: the reference's log-variances are never handed to an optimizer, so they stay at 0.
    steps = random_steps(rng, 3, 3, 6)
    fixtures["uw"] = [case("three tasks", None, steps, run_steps(wm.Uncertainty(n_tasks=3, device=torch.device("cpu")), steps))]

    # DWA: 25-step window, a long enough trajectory to pass the warm-up and the placeholder ones.
    dwa_cases = []
    for task_count, count in ((2, 60), (3, 80)):
        steps = random_steps(rng, count, task_count, 4, low=0.3, high=1.5)
        method = wm.DynamicWeightAverage(n_tasks=task_count, device=torch.device("cpu"))
        dwa_cases.append(case(f"K = {task_count}", None, steps, run_steps(method, steps)))
    fixtures["dwa"] = dwa_cases

    fixtures["pcgrad"] = pcgrad_cases(wm, rng)

    for plugin, cases in fixtures.items():
        folder = out / f"strategy-{plugin.replace('_', '-')}" / "src" / "fixtures"
        folder.mkdir(parents=True, exist_ok=True)
        document = {
            "generatedBy": "bench/reference/deepmtl2r-weight-methods.py",
            "reference": "amazon-science/DeepMTL2R allrank/methods/weight_methods.py",
            "torch": torch.__version__,
            "cases": cases,
        }
        (folder / "deepmtl2r.json").write_text(json.dumps(document, indent=1) + "\n")
        print(f"{plugin}: {len(cases)} cases -> {folder / 'deepmtl2r.json'}")


def pcgrad_cases(wm, rng):
    """PCGrad with its norm-1 clip; the shuffles are recorded so a test can replay the same orders."""
    cases = []
    original_shuffle = random.shuffle
    for task_count, reduction, scale in ((2, "sum", 1.0), (2, "sum", 0.05), (3, "sum", 1.0), (3, "mean", 1.0), (4, "sum", 0.1), (5, "sum", 1.0)):
        steps = [
            (rng.uniform(0.1, 2.0, task_count).astype(np.float32), (scale * rng.normal(0, 1, (task_count, 7))).astype(np.float32))
            for _ in range(3)
        ]
        orders_per_step = []
        combined = []
        for values, grads in steps:
            recorded = []

            def recording_shuffle(items):
                # The reference shuffles the list of gradient tuples in place; record the resulting order.
                original_shuffle(items)
                ids = {id(item): index for index, item in enumerate(initial)}
                recorded.append([ids[id(item)] for item in items])

            losses, theta = linear_losses(values, grads)
            original = [torch.autograd.grad(l, [theta], retain_graph=True) for l in losses]
            initial = list(original)
            method = wm.PCGrad(n_tasks=task_count, device=torch.device("cpu"), reduction=reduction)
            # Same gradients as the reference computes in _set_pc_grads, kept so the shuffle can be traced.
            random.shuffle = recording_shuffle
            try:
                merged = method._project_conflicting(original)
            finally:
                random.shuffle = original_shuffle
            theta.grad = merged[0].clone()
            torch.nn.utils.clip_grad_norm_([theta], method.max_norm)
            combined.append(theta.grad.double().tolist())
            orders_per_step.append(recorded)
        cases.append(case(f"K = {task_count}, {reduction}, gradient scale {scale}", None, steps, combined, reduction=reduction, orders=orders_per_step))
    return cases


if __name__ == "__main__":
    main()
