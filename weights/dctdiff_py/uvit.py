"""The DCTdiff network: a UViT over DCT tokens (method.md section 3).

Written from the method description; parameter names and shapes are those of
the official checkpoints (method.md section 3.2), so an official state_dict
loads with ``load_state_dict(strict=True)`` and our own training writes files
the C engine reads without renaming.

    net = UViT(embed_dim=512, depth=12, num_heads=8, tokens=256, token_dim=24)
    eps = net(x, tau)            # x (N, T, K), tau = 999 t (N,) -> (N, T, K)
"""

import math

import torch
from torch import nn
import torch.nn.functional as F


def timestep_embedding(tau, dim):
    """Sinusoidal embedding of the network time tau (N,) -> (N, dim).

    Cosines come first, then sines; frequency k is exp(-ln(1e4) k / half).
    The product -ln(1e4) * k is formed before the division, in float32, as the
    checkpoints were trained with it."""
    half = dim // 2
    k = torch.arange(half, dtype=torch.float32, device=tau.device)
    freqs = torch.exp(-math.log(10000.0) * k / half)
    angles = tau.float()[:, None] * freqs[None]
    emb = torch.cat([torch.cos(angles), torch.sin(angles)], dim=-1)
    if dim % 2:
        emb = torch.cat([emb, torch.zeros_like(emb[:, :1])], dim=-1)
    return emb


class Attention(nn.Module):
    """Multi-head self-attention; q, k, v are the three D-wide thirds of qkv,
    heads are contiguous slices of each third."""

    def __init__(self, dim, num_heads, qkv_bias=False):
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"embed_dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        n, length, dim = x.shape
        h = self.num_heads
        qkv = self.qkv(x).reshape(n, length, 3, h, dim // h).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]                    # (N, h, L, dh)
        weights = torch.softmax((q @ k.transpose(-2, -1)) * self.scale, dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(n, length, dim)
        return self.proj(out)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))                # exact erf GELU


class Block(nn.Module):
    """Pre-norm transformer block.  Out-blocks first merge the long skip:
    skip_linear(concat(x, skip)), current activation first."""

    def __init__(self, dim, num_heads, mlp_ratio, qkv_bias, skip=False):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-5)
        self.attn = Attention(dim, num_heads, qkv_bias)
        self.norm2 = nn.LayerNorm(dim, eps=1e-5)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.skip_linear = nn.Linear(2 * dim, dim) if skip else None

    def forward(self, x, skip=None):
        if self.skip_linear is not None:
            x = self.skip_linear(torch.cat([x, skip], dim=-1))
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class UViT(nn.Module):
    """UViT for DCT tokens: T tokens of K floats in, predicted noise out.

    The sequence is [label,] time, tokens; `extras` counts the leading
    non-token positions (1, or 2 with a label).  In-blocks push their output,
    out-blocks pop it last-in first-out."""

    def __init__(self, embed_dim=512, depth=12, num_heads=8, mlp_ratio=4.0,
                 qkv_bias=False, mlp_time_embed=False, num_classes=0,
                 tokens=256, token_dim=24):
        super().__init__()
        # An odd depth builds depth // 2 in- and out-blocks, as the official UViT.
        d = embed_dim
        self.embed_dim = d
        self.num_classes = num_classes
        self.extras = 2 if num_classes > 0 else 1

        self.proj = nn.Linear(token_dim, d)
        self.time_embed = (nn.Sequential(nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
                           if mlp_time_embed else nn.Identity())
        if num_classes > 0:
            self.label_emb = nn.Embedding(num_classes, d)
        self.pos_embed = nn.Parameter(torch.zeros(1, self.extras + tokens, d))

        def block(skip=False):
            return Block(d, num_heads, mlp_ratio, qkv_bias, skip)

        self.in_blocks = nn.ModuleList([block() for _ in range(depth // 2)])
        self.mid_block = block()
        self.out_blocks = nn.ModuleList([block(skip=True) for _ in range(depth // 2)])
        self.norm = nn.LayerNorm(d, eps=1e-5)
        self.decoder_pred = nn.Linear(d, token_dim)
        self.reset_parameters()

    def reset_parameters(self):
        """Truncated normal (std 0.02) for Linear weights and pos_embed, zero
        biases, LayerNorm ones and zeros.  The label table keeps PyTorch's
        default N(0, 1) Embedding init."""
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        for mod in self.modules():
            if isinstance(mod, nn.Linear):
                nn.init.trunc_normal_(mod.weight, std=0.02)
                if mod.bias is not None:
                    nn.init.zeros_(mod.bias)
            elif isinstance(mod, nn.LayerNorm):
                nn.init.ones_(mod.weight)
                nn.init.zeros_(mod.bias)

    def forward(self, x, tau, labels=None):
        """x (N, T, K), tau (N,) network times (999 t), labels (N,) or None."""
        h = self.proj(x)
        time = self.time_embed(timestep_embedding(tau, self.embed_dim))[:, None]
        parts = [time, h]
        if self.num_classes > 0:
            if labels is None:
                raise ValueError("a class-conditional UViT needs labels")
            parts.insert(0, self.label_emb(labels)[:, None])
        h = torch.cat(parts, dim=1) + self.pos_embed

        skips = []
        for blk in self.in_blocks:
            h = blk(h)
            skips.append(h)
        h = self.mid_block(h)
        for blk in self.out_blocks:
            h = blk(h, skips.pop())
        h = self.decoder_pred(self.norm(h))
        return h[:, self.extras:]

    def param_count(self):
        """Number of scalar parameters (what the model cards report)."""
        return sum(p.numel() for p in self.parameters())


def describe(model):
    """One line for logs, e.g. 'UViT D=512 depth=12 heads=8: 44.27 M parameters'."""
    heads = model.mid_block.attn.num_heads
    return (f"UViT D={model.embed_dim} depth={2 * len(model.in_blocks)} heads={heads}: "
            f"{model.param_count() / 1e6:.2f} M parameters")
