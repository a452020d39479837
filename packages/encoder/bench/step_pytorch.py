"""The reference ranker's training step in PyTorch, the baseline for step.bench.ts (same model, shapes, loss).

Model (DEEPMTL2R-SPEC section 2): Linear(F->d) -> 4 pre-norm blocks [x + Drop(MHA(LN x)); x + Drop(FFN(LN x))]
-> LN -> Linear(d->1); MHA with separate Q, K, V, O linears, padded keys masked, dropout 0.3 on the attention
probabilities; FFN Linear(d->4d) ReLU Dropout Linear(4d->d). Loss: masked ListNet per task. Adam lr 1e-3.

  /usr/bin/python3 step_pytorch.py [--steps N] [--json] [--epoch]

Prints seconds per training step, per single gradient (1 forward + 1 backward) and per K=5 per-task gradients of
all shared parameters (1 forward + 5 backward with retain_graph), and the peak RSS after the training steps.
--epoch also times an MQ2008-shaped epoch the way allRank runs it: 471 lists padded to 240, F 46, batch 64.
"""
import argparse
import json
import math
import resource
import time

import torch
from torch import nn

B, L, F, D, BLOCKS, HEADS, FFN, K, DROPOUT = 64, 240, 132, 128, 4, 4, 512, 5, 0.3


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x, key_bias):
        b, l, _ = x.shape
        hw = D // HEADS

        def split(t):
            return t.view(b, l, HEADS, hw).transpose(1, 2)

        q = split(self.q(x) / math.sqrt(hw))
        k = split(self.k(x))
        v = split(self.v(x))
        probs = self.drop(torch.softmax(q @ k.transpose(-1, -2) + key_bias, dim=-1))
        return self.o((probs @ v).transpose(1, 2).reshape(b, l, D))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn_norm, self.ffn_norm = nn.LayerNorm(D), nn.LayerNorm(D)
        self.attn = Attention()
        self.hidden, self.out = nn.Linear(D, FFN), nn.Linear(FFN, D)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x, key_bias):
        x = x + self.drop(self.attn(self.attn_norm(x), key_bias))
        return x + self.drop(self.out(self.drop(torch.relu(self.hidden(self.ffn_norm(x))))))


class Ranker(nn.Module):
    def __init__(self):
        super().__init__()
        self.input = nn.Linear(F, D)
        self.blocks = nn.ModuleList(Block() for _ in range(BLOCKS))
        self.norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, 1)

    def forward(self, features, mask):
        key_bias = ((1 - mask.float()) * -1e9).view(mask.shape[0], 1, 1, mask.shape[1])
        x = self.input(features)
        for block in self.blocks:
            x = block(x, key_bias)
        return self.head(self.norm(x)).squeeze(-1)


def list_net(scores, labels, mask):
    bias = (1 - mask.float()) * -1e9
    target = torch.softmax(labels + bias, dim=-1)
    return -(target * torch.log_softmax(scores + bias, dim=-1)).sum(-1).mean()


def timed(n, fn):
    return measured(n, fn)[0]


def measured(n, fn):
    """(wall seconds, process CPU seconds over all threads) per call."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n, (time.process_time() - cpu) / n


def padded_epoch():
    """One epoch over 471 MQ2008-sized lists (46 features) padded to 240, batch 64: allRank's layout."""
    global F
    saved, F = F, 46
    torch.manual_seed(2)
    model = Ranker()
    F = saved
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    start = time.perf_counter()
    for first in range(0, 471, 64):
        b = min(64, 471 - first)
        lengths = torch.randint(6, 122, (b,))  # MQ2008 lists: 6 to 121 documents, 19 on average
        mask = torch.arange(L)[None, :] < lengths[:, None]
        features = torch.randn(b, L, 46)
        labels = torch.randint(0, 3, (b, L)).float()
        optimizer.zero_grad(set_to_none=True)
        list_net(model(features, mask), labels, mask).backward()
        optimizer.step()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--epoch", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(1)
    model = Ranker()
    model.train()
    features = torch.randn(B, L, F)
    mask = torch.ones(B, L, dtype=torch.bool)
    labels = [torch.randint(0, 5, (B, L)).float() for _ in range(K)]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    params = list(model.parameters())

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = list_net(model(features, mask), labels[0], mask)
        loss.backward()
        optimizer.step()
        loss.item()

    def one_grad():
        loss = list_net(model(features, mask), labels[0], mask)
        torch.autograd.grad(loss, params)

    def per_task_grads():
        scores = model(features, mask)
        losses = [list_net(scores, y, mask) for y in labels]
        for k, loss in enumerate(losses):
            torch.autograd.grad(loss, params, retain_graph=k < K - 1)

    train_step()  # warm-up
    step_seconds, step_cpu_seconds = measured(args.steps, train_step)
    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "step_seconds": step_seconds,
        "step_cpu_seconds": step_cpu_seconds,
        # ru_maxrss is in KiB on Linux: the high-water mark of the training steps so far.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    one_grad()
    per_task_grads()
    result["one_grad_seconds"] = timed(args.steps, one_grad)
    result["per_task_seconds"] = timed(args.steps, per_task_grads)
    if args.epoch:
        result["mq2008_padded_epoch_seconds"] = padded_epoch()
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
