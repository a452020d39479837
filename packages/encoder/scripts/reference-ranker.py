"""Reference scores and gradients for the encoder tests, from an independent PyTorch implementation.

Writes src/fixtures/reference-ranker.json: a tiny ranker's weights (in the encoder's [in, out] layout and
stable names), a padded batch, the eval-mode scores and the gradient of a weighted score sum for both
LayerNorm kinds. Run with Debian's python3-torch (1.13): /usr/bin/python3 scripts/reference-ranker.py
The model follows DEEPMTL2R-SPEC.md section 2: input Linear without activation, pre-norm blocks
(x + MHA(LN x); x + FFN(LN x)), padded keys masked with -inf, final LayerNorm, per-task Linear(d -> 1) heads.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)
FEATURES, WIDTH, HEADS, FFN, BLOCKS, TASKS = 5, 8, 2, 16, 2, 2
LISTS, ITEMS = 2, 4
LENGTHS = [4, 2]


def layer_norm(x, gamma, beta, kind):
    centred = x - x.mean(-1, keepdim=True)
    if kind == 'standard':
        return gamma * centred / torch.sqrt((centred ** 2).mean(-1, keepdim=True) + 1e-5) + beta
    # allRank: unbiased std, epsilon added to the std.
    return gamma * centred / (x.std(-1, unbiased=True, keepdim=True) + 1e-6) + beta


def dense(x, p, name):
    return x @ p[name + '.weight'] + p[name + '.bias']


def attention(x, p, at, key_padded):
    lists, items, width = x.shape
    head_width = width // HEADS

    def split(t):
        return t.reshape(lists, items, HEADS, head_width).permute(0, 2, 1, 3)

    q, k, v = (split(dense(x, p, f'{at}.{n}')) for n in 'qkv')
    logits = q @ k.transpose(-1, -2) / math.sqrt(head_width)
    logits = logits.masked_fill(key_padded[:, None, None, :], float('-inf'))
    context = torch.softmax(logits, dim=-1) @ v
    return dense(context.permute(0, 2, 1, 3).reshape(lists, items, width), p, f'{at}.o')


def scores(p, features, key_padded, kind):
    x = dense(features, p, 'input')
    for block in range(BLOCKS):
        at = f'blocks.{block}'
        h = layer_norm(x, p[f'{at}.attn_norm.gamma'], p[f'{at}.attn_norm.beta'], kind)
        x = x + attention(h, p, f'{at}.attn', key_padded)
        h = layer_norm(x, p[f'{at}.ffn_norm.gamma'], p[f'{at}.ffn_norm.beta'], kind)
        x = x + dense(torch.relu(dense(h, p, f'{at}.ffn.hidden')), p, f'{at}.ffn.output')
    x = layer_norm(x, p['norm.gamma'], p['norm.beta'], kind)
    return torch.cat([dense(x, p, f'heads.{t}') for t in range(TASKS)], dim=-1)


def parameter_shapes():
    shapes = {'input.weight': [FEATURES, WIDTH], 'input.bias': [WIDTH]}
    for block in range(BLOCKS):
        at = f'blocks.{block}'
        shapes[f'{at}.attn_norm.gamma'] = [WIDTH]
        shapes[f'{at}.attn_norm.beta'] = [WIDTH]
        for n in 'qkvo':
            shapes[f'{at}.attn.{n}.weight'] = [WIDTH, WIDTH]
            shapes[f'{at}.attn.{n}.bias'] = [WIDTH]
        shapes[f'{at}.ffn_norm.gamma'] = [WIDTH]
        shapes[f'{at}.ffn_norm.beta'] = [WIDTH]
        shapes[f'{at}.ffn.hidden.weight'] = [WIDTH, FFN]
        shapes[f'{at}.ffn.hidden.bias'] = [FFN]
        shapes[f'{at}.ffn.output.weight'] = [FFN, WIDTH]
        shapes[f'{at}.ffn.output.bias'] = [WIDTH]
    shapes['norm.gamma'] = [WIDTH]
    shapes['norm.beta'] = [WIDTH]
    for t in range(TASKS):
        shapes[f'heads.{t}.weight'] = [WIDTH, 1]
        shapes[f'heads.{t}.bias'] = [1]
    return shapes


def main():
    generator = torch.Generator().manual_seed(20261124)
    params = {}
    for name, shape in parameter_shapes().items():
        values = (torch.rand(shape, generator=generator) * 2 - 1) * 0.6
        if name.endswith('.gamma'):
            values = 1 + 0.5 * values  # not all ones, so gamma's role is tested
        # Round to float32 so both implementations start from the same numbers.
        params[name] = values.float().double().requires_grad_(True)
    features = ((torch.rand([LISTS, ITEMS, FEATURES], generator=generator) * 4 - 2).float().double())
    mask = torch.tensor([[1.0 if i < n else 0.0 for i in range(ITEMS)] for n in LENGTHS])
    loss_weights = ((torch.rand([LISTS, ITEMS, TASKS], generator=generator) * 2 - 1).float().double()) * mask[..., None]
    cases = {}
    for kind in ['standard', 'allrank']:
        for p in params.values():
            p.grad = None
        out = scores(params, features, mask == 0, kind)
        (out * loss_weights).sum().backward()
        cases[kind] = {
            'scores': out.detach().tolist(),
            'gradients': {name: p.grad.reshape(-1).tolist() for name, p in params.items()},
        }
    fixture = {
        'generatedBy': 'packages/encoder/scripts/reference-ranker.py (PyTorch %s, float64)' % torch.__version__,
        'config': {'featureCount': FEATURES, 'modelDim': WIDTH, 'heads': HEADS, 'ffnDim': FFN, 'blocks': BLOCKS,
                   'taskCount': TASKS, 'perTaskHeads': True},
        'weights': {name: {'shape': list(p.shape), 'values': p.detach().reshape(-1).tolist()} for name, p in params.items()},
        'features': features.tolist(),
        'mask': mask.tolist(),
        'lossWeights': loss_weights.tolist(),
        'cases': cases,
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'src', 'fixtures', 'reference-ranker.json')
    with open(path, 'w') as f:
        json.dump(fixture, f)
        f.write('\n')


if __name__ == '__main__':
    main()
