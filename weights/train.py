#!/usr/bin/env python3
"""Train a DCTdiff model (method.md section 4) on a pack from dataset.py and
export its EMA weights as a model file the engine loads (docs/model-format.md).

    train.py --data data/emoji32.pack --stats stats.json --out runs/tiny \\
             --embed-dim 64 --depth 4 --heads 2 --budget-min 15
    train.py ... --resume runs/tiny/checkpoint       # continue a run
    train.py --export runs/tiny/checkpoint --model tiny.safetensors

The whole training split is tokenised once (numpy) and kept on the device;
random horizontal flips are applied in token space.  Objective: noise
prediction at t ~ U[0, 1) on x_t = alpha_c(t) x0 + sigma_c(t) eps, each token
value weighted by the entropy-based frequency weights (EBFR).  AdamW with a
linear warm-up, EMA of the weights, bf16 autocast on CUDA, optional
torch.compile, a wall-clock budget, and a checkpoint (fp16 EMA and online
weights plus the step, in parts of at most 15 MB) that a later run resumes
with a fresh optimiser.
"""

import argparse
import glob
import io
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from dctdiff_py import modelfile  # noqa: E402
from dctdiff_py.uvit import UViT, describe  # noqa: E402
from dctdiff_py.schedule import VPSchedule  # noqa: E402
from dctdiff_py.tokens import zigzag  # noqa: E402
from stats import tokens_of  # noqa: E402

BETA_MIN, BETA_MAX = 0.1, 20.0
PART_BYTES = 15 << 20
CHANNELS = ("y", "cb", "cr")


# ---------------------------------------------------------------- layout ----

def layout_of(cfg):
    """Token grid of a config: (tokens, token_dim, blocks per token)."""
    per_token = 12 if cfg["chroma"] == "444" else 6
    side = cfg["resolution"] // (2 * cfg["block_size"])
    return side * side, per_token * cfg["low_freqs"], per_token


def tokenize_cfg(images, cfg):
    return tokens_of(images, cfg["block_size"], cfg["low_freqs"], cfg["eta"], cfg["chroma"])


def slot_channels(chroma):
    """Channel of each block slot of a token."""
    per = 4 if chroma == "444" else 1
    return ["y"] * 4 + ["cb"] * per + ["cr"] * per


def ebfr_weights(cfg):
    """Per-value loss weights of one token (method.md section 4): each
    channel's entropy table, in low-to-high order, cut to m, divided by its
    mean; the same vector for every token."""
    m, order = cfg["low_freqs"], zigzag(cfg["block_size"])[:cfg["low_freqs"]]
    per_channel = {}
    for ch in CHANNELS:
        table = np.asarray(cfg["entropy_" + ch], dtype=np.float64)[order]
        per_channel[ch] = table / table.mean()
    w = np.concatenate([per_channel[ch] for ch in slot_channels(cfg["chroma"])])
    assert w.size == layout_of(cfg)[1] and m == order.size
    return torch.tensor(w, dtype=torch.float32)


def flip_tables(cfg):
    """Index and sign tables that mirror a token tensor left-right exactly as
    tokenising the mirrored image would: tokens swap columns, the left and
    right Y (and 4:4:4 chroma) blocks of a token swap, and a coefficient of
    horizontal frequency v changes sign when v is odd.  (4:2:0 chroma is a
    2x2 mean, which commutes with the mirror.)"""
    T, K, per_token = layout_of(cfg)
    M = int(round(math.sqrt(T)))
    B, m = cfg["block_size"], cfg["low_freqs"]
    tok = torch.tensor([r * M + (M - 1 - q) for r in range(M) for q in range(M)])
    quad = [1, 0, 3, 2]
    slots = quad + (list(range(4, 6)) if per_token == 6 else [4 + s for s in quad] + [8 + s for s in quad])
    val = torch.tensor([slots[b] * m + p for b in range(per_token) for p in range(m)])
    sign_p = [(-1.0) ** (z % B) for z in zigzag(B)[:m]]
    sign = torch.tensor(sign_p * per_token, dtype=torch.float32)
    return tok, val, sign


LOSS_WEIGHTS = ("noise", "v")


def diffusion_loss(net, x0, weights, sched, loss_weight="noise", prediction="noise"):
    """EBFR-weighted noise-prediction loss, averaged over the batch.

    "noise" is the official objective.  "v" multiplies each sample's loss by
    1 / alpha(t)^2 = 1 + 1/SNR(t), which makes it the v-prediction loss of the
    same noise-predicting network: the sampler's clean estimate
    (x - sigma eps_hat) / alpha multiplies every noise error by 1 / alpha
    (19 at t = 1 for c = 64), and the plain loss gives those high-noise
    errors almost no weight, so a briefly trained network leaves whole tokens
    as noise (weights/README.md, "Noisy tokens").

    prediction "v" makes the network output v = alpha eps - sigma x0 (the
    loss still compares the noise estimate derived from it, so both weights
    keep their meaning; with the "v" weight it is the plain v error)."""
    t = torch.rand(x0.shape[0], device=x0.device)
    eps = torch.randn_like(x0)
    a, s = sched.alpha(t).float(), sched.sigma(t).float()
    xt = a[:, None, None] * x0 + s[:, None, None] * eps
    eps_hat = sched.noise_of(prediction, xt, net(xt, 999.0 * t).float(), t)
    per_sample = (weights * (eps - eps_hat) ** 2).mean(dim=(1, 2))
    if loss_weight == "v":
        per_sample = per_sample / (a * a)
    return per_sample.mean()


# ------------------------------------------------------------- model I/O ----

def build_model(cfg):
    T, K, _ = layout_of(cfg)
    return UViT(embed_dim=cfg["embed_dim"], depth=cfg["depth"], num_heads=cfg["heads"],
                tokens=T, token_dim=K)


def half_state(model):
    return {k: v.detach().to("cpu", torch.float16).clone() for k, v in model.state_dict().items()}


def save_checkpoint(path, cfg, step, ema, net, history, with_online):
    """Writes path.000, path.001, ... (each <= 15 MB) and removes stale parts."""
    state = {"config": cfg, "step": step, "ema": half_state(ema), "history": history}
    if with_online:
        state["model"] = half_state(net)
    buf = io.BytesIO()
    torch.save(state, buf)
    data = buf.getvalue()
    old = set(glob.glob(path + ".[0-9][0-9][0-9]"))
    for i in range(0, max(len(data), 1), PART_BYTES):
        part = f"{path}.{i // PART_BYTES:03d}"
        with open(part + ".tmp", "wb") as f:
            f.write(data[i:i + PART_BYTES])
        os.replace(part + ".tmp", part)
        old.discard(part)
    for stale in old:
        os.remove(stale)
    return len(data)


def load_checkpoint(path):
    parts = sorted(glob.glob(path + ".[0-9][0-9][0-9]"))
    if not parts:
        raise FileNotFoundError(f"{path}: no checkpoint parts ({path}.000 ...)")
    data = b"".join(open(p, "rb").read() for p in parts)
    return torch.load(io.BytesIO(data), map_location="cpu", weights_only=False)


def metadata(cfg, step):
    """docs/model-format.md metadata of a trained config."""
    return modelfile.build_meta(
        name=cfg["name"], description=cfg["description"], license=cfg["license"],
        arch={"embed_dim": cfg["embed_dim"], "depth": cfg["depth"], "num_heads": cfg["heads"],
              "mlp_ratio": 4, "qkv_bias": 0, "mlp_time_embed": 0, "num_classes": 0},
        dct={"resolution": cfg["resolution"], "block_size": cfg["block_size"],
             "low_freqs": cfg["low_freqs"], "chroma": cfg["chroma"], "eta": float(cfg["eta"]),
             "order": [int(z) for z in zigzag(cfg["block_size"])], "tokens": layout_of(cfg)[0]},
        schedule={"beta_min": BETA_MIN, "beta_max": BETA_MAX,
                  "snr_scale": float(cfg["snr_scale"]),
                  "prediction": cfg.get("prediction", "noise")},
        sampler={"default": cfg["sampler"], "steps": cfg["sampler_steps"]},
        train={"dataset": cfg["dataset"], "steps": step, "release": "ours",
               **{"entropy_" + ch: cfg["entropy_" + ch] for ch in CHANNELS}})


def export(ckpt_path, out_path, release=None):
    """EMA weights of a checkpoint -> F16 model file with full metadata;
    release's non-empty entries (name, description, sampler, sampler_steps)
    replace the run's own, so that a run's checkpoint ships under the
    released model's name and with the sampler its accuracy curve chose."""
    ck = load_checkpoint(ckpt_path)
    cfg = {**ck["config"], **{k: v for k, v in (release or {}).items() if v}}
    modelfile.save(out_path, ck["ema"], metadata(cfg, ck["step"]), dtype="F16")
    return os.path.getsize(out_path)


# -------------------------------------------------------------- training ----

def make_config(args, pack):
    with open(args.stats) as f:
        st = json.load(f)
    if st["block_size"] != args.block_size or st["chroma"] != args.chroma:
        sys.exit(f"train: {args.stats} is for B={st['block_size']} {st['chroma']}, "
                 f"not B={args.block_size} {args.chroma}")
    sources = pack.licences()
    return {
        "name": args.name or "mymodel", "description": args.description or "",
        "dataset": args.dataset or ", ".join(s.get("art", s["set"]) for s in sources),
        "license": args.license or " AND ".join(sorted({s["license"] for s in sources if s["license"]})),
        "resolution": pack.header["size"], "block_size": args.block_size,
        "low_freqs": args.low_freqs or st["low_freqs"], "chroma": args.chroma,
        "eta": st["eta"], **{"entropy_" + ch: st["entropy_" + ch] for ch in CHANNELS},
        "embed_dim": args.embed_dim, "depth": args.depth, "heads": args.heads,
        "snr_scale": args.snr_scale, "loss_weight": args.loss_weight,
        "prediction": args.prediction, "sampler": args.sampler or "dpm-solver++-2m",
        "sampler_steps": args.sampler_steps or 20,
    }


class Ema:
    """Exponential moving average of the weights.  The rate ramps up as
    (1 + n) / (10 + n) so that short runs are not dominated by the random
    initialisation (with 0.9999 from step 0 a 3,000-step run would export
    mostly noise)."""

    def __init__(self, net, rate):
        self.model = build_model(net.cfg).to(next(net.parameters()).device)
        self.model.load_state_dict(net.state_dict())
        self.model.requires_grad_(False)
        self.rate = rate
        self.updates = 0

    @torch.no_grad()
    def update(self, net):
        self.updates += 1
        r = min(self.rate, (1 + self.updates) / (10 + self.updates))
        torch._foreach_lerp_(list(self.model.parameters()),
                             [p.detach() for p in net.parameters()], 1.0 - r)


def lr_at(args, step, start_step, frac_elapsed):
    """Linear warm-up from the (re)start, constant, then an optional linear
    decay to zero over the last decay_frac of the budget."""
    warm = min(1.0, (step - start_step + 1) / max(args.warmup, 1))
    tail = 1.0
    if args.decay_frac > 0:
        tail = max(0.0, min(1.0, (1.0 - frac_elapsed) / args.decay_frac))
    return args.lr * warm * tail


def save_run(args, ckpt, cfg, step, ema, net, history, start_step, t_loop, cpu_loop):
    """The checkpoint and history.json (steps, wall and CPU minutes) of a run."""
    size = save_checkpoint(ckpt, cfg, step, ema.model, net, history, not args.ema_only_checkpoint)
    with open(os.path.join(args.out, "history.json"), "w") as f:
        json.dump({"config": cfg, "history": history, "start_step": start_step, "step": step,
                   "wall_minutes": (time.time() - t_loop) / 60.0,
                   "cpu_minutes": (time.process_time() - cpu_loop) / 60.0}, f, indent=1)
    print(f"train: step {step}, checkpoint {size / 1e6:.1f} MB -> {ckpt}.*", flush=True)


def train(args):
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    dev = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    t_start = time.time()

    resumed = load_checkpoint(args.resume) if args.resume else None
    pack = dataset.Pack(args.data)
    cfg = resumed["config"] if resumed else make_config(args, pack)
    images = pack.split("train")
    data = torch.from_numpy(tokenize_cfg(images, cfg)).to(dev)
    weights = ebfr_weights(cfg).to(dev)
    flip_tok, flip_val, flip_sign = (x.to(dev) for x in flip_tables(cfg))
    print(f"train: {len(images)} images -> tokens {tuple(data.shape)} in "
          f"{time.time() - t_start:.1f} s on {dev}", flush=True)

    net = build_model(cfg).to(dev)
    net.cfg = cfg
    step, history = 0, []
    if resumed:
        net.load_state_dict({k: v.float() for k, v in resumed.get("model", resumed["ema"]).items()})
        step, history = resumed["step"], resumed["history"]
    ema = Ema(net, args.ema)
    if resumed:
        ema.model.load_state_dict({k: v.float() for k, v in resumed["ema"].items()})
        ema.updates = step
    print(f"train: {describe(net)}, step {step}", flush=True)

    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, betas=(args.beta1, args.beta2),
                            weight_decay=args.weight_decay, fused=dev.type == "cuda")
    fwd = torch.compile(net) if args.compile else net
    sched = VPSchedule(cfg["snr_scale"], BETA_MIN, BETA_MAX)
    use_bf16 = dev.type == "cuda" and not args.fp32
    budget = args.budget_min * 60.0
    cpu_budget = args.budget_cpu_min * 60.0
    start_step, t_loop, cpu_loop = step, time.time(), time.process_time()
    # CPU minutes of the whole run across resumed segments, for the SWD-vs-CPU curve
    cpu_before = history[-1].get("cpu_total_min", 0.0) if history else 0.0
    os.makedirs(args.out, exist_ok=True)
    ckpt = os.path.join(args.out, "checkpoint")
    t_saved = t_loop
    run_loss, run_n, t_log, seen = torch.zeros((), device=dev), 0, time.time(), 0
    while True:
        # progress: the largest used fraction of the wall, CPU and step budgets
        frac = max((time.time() - t_loop) / budget if budget else 0.0,
                   (time.process_time() - cpu_loop) / cpu_budget if cpu_budget else 0.0,
                   (step - start_step) / args.max_steps if args.max_steps else 0.0)
        if frac >= 1.0:
            break
        for g in opt.param_groups:
            g["lr"] = lr_at(args, step, start_step, frac)
        idx = torch.randint(0, data.shape[0], (args.batch,), device=dev)
        x0 = data[idx]
        flip = torch.rand(args.batch, device=dev) < 0.5
        x0 = torch.where(flip[:, None, None], x0[:, flip_tok][:, :, flip_val] * flip_sign, x0)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=use_bf16):
            loss = diffusion_loss(fwd, x0, weights, sched, cfg.get("loss_weight", "noise"),
                                  cfg.get("prediction", "noise"))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        ema.update(net)
        step += 1
        run_loss += loss.detach()
        run_n += 1
        seen += args.batch
        if step % args.log_every == 0:
            now = time.time()
            rec = {"step": step, "loss": run_loss.item() / run_n,
                   "samples_per_s": seen / (now - t_log), "minutes": (now - t_loop) / 60.0,
                   "lr": opt.param_groups[0]["lr"],
                   "cpu_total_min": cpu_before + (time.process_time() - cpu_loop) / 60.0}
            history.append(rec)
            print(f"step {step:7d}  loss {rec['loss']:.4f}  {rec['samples_per_s']:8.0f} samples/s"
                  f"  {rec['minutes']:6.2f} min  lr {rec['lr']:.2e}", flush=True)
            run_loss, run_n, t_log, seen = torch.zeros((), device=dev), 0, now, 0
        if args.save_every_min and time.time() - t_saved >= 60.0 * args.save_every_min:
            save_run(args, ckpt, cfg, step, ema, net, history, start_step, t_loop, cpu_loop)
            t_saved = time.time()

    save_run(args, ckpt, cfg, step, ema, net, history, start_step, t_loop, cpu_loop)
    if args.model:
        print(f"train: model {export(ckpt, args.model) / 1e3:.0f} kB -> {args.model}")
    return step


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="pack from dataset.py")
    ap.add_argument("--stats", help="JSON from stats.py (same block size and chroma)")
    ap.add_argument("--out", default="runs/run", help="folder for checkpoint and history")
    ap.add_argument("--model", help="also export the EMA weights to this model file")
    ap.add_argument("--resume", help="checkpoint path (without .000) to continue from")
    ap.add_argument("--export", metavar="CKPT", help="only export CKPT to --model")
    g = ap.add_argument_group("layout and network")
    g.add_argument("--block-size", type=int, default=2)
    g.add_argument("--low-freqs", type=int, default=0, help="m (default: the stats' choice)")
    g.add_argument("--chroma", default="420", choices=("420", "444"))
    g.add_argument("--embed-dim", type=int, default=512)
    g.add_argument("--depth", type=int, default=12)
    g.add_argument("--heads", type=int, default=8)
    g.add_argument("--snr-scale", type=float, default=4.0)
    g.add_argument("--prediction", default="noise", choices=modelfile.PREDICTIONS,
                   help="what the network outputs: the noise (official) or v")
    g.add_argument("--loss-weight", default="noise", choices=LOSS_WEIGHTS,
                   help="per-sample loss weight: noise (official) or v (1/alpha^2)")
    g = ap.add_argument_group("optimisation")
    g.add_argument("--batch", type=int, default=256)
    g.add_argument("--lr", type=float, default=2e-4)
    g.add_argument("--warmup", type=int, default=5000, help="linear warm-up steps")
    g.add_argument("--decay-frac", type=float, default=0.0,
                   help="decay the LR linearly to 0 over this last fraction of the budget")
    g.add_argument("--beta1", type=float, default=0.99)
    g.add_argument("--beta2", type=float, default=0.99)
    g.add_argument("--weight-decay", type=float, default=0.03)
    g.add_argument("--ema", type=float, default=0.9999)
    g.add_argument("--budget-min", type=float, default=0.0, help="wall-clock budget, minutes")
    g.add_argument("--budget-cpu-min", type=float, default=0.0,
                   help="CPU-time budget of this process, minutes (fair on a shared machine)")
    g.add_argument("--max-steps", type=int, default=0, help="stop after this many steps")
    g.add_argument("--seed", type=int, default=1234)
    g = ap.add_argument_group("machine")
    g.add_argument("--device", help="cpu or cuda (default: cuda when present)")
    g.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch default)")
    g.add_argument("--compile", action="store_true", help="torch.compile the network")
    g.add_argument("--fp32", action="store_true", help="no bf16 autocast on CUDA")
    g.add_argument("--log-every", type=int, default=100)
    g.add_argument("--save-every-min", type=float, default=0.0,
                   help="also write the checkpoint every this many minutes (long runs)")
    g.add_argument("--ema-only-checkpoint", action="store_true",
                   help="leave the online weights out of the checkpoint (half the size; "
                        "a resume then starts them from the EMA)")
    g = ap.add_argument_group("model file metadata")
    g.add_argument("--name", help="default: mymodel (with --export: the run's name)")
    g.add_argument("--description", help="default: none (with --export: the run's)")
    g.add_argument("--dataset", default="", help="default: the pack's sources")
    g.add_argument("--license", default="", help="default: the pack's image licences")
    g.add_argument("--sampler", help="the model's default, dpm-solver++-2m unless given "
                   "(with --export: the run's; docs/generation.md has the accuracy curves)")
    g.add_argument("--sampler-steps", type=int, help="its evaluations (default 20)")
    args = ap.parse_args(argv)
    if not args.export and not args.resume and not (args.data and args.stats):
        ap.error("--data and --stats are needed (or --resume / --export)")
    if args.resume and not args.data:
        ap.error("--resume needs --data (the pack travels separately)")
    if args.export and not args.model:
        ap.error("--export needs --model")
    if not (args.budget_min or args.budget_cpu_min or args.max_steps or args.export):
        ap.error("give --budget-min, --budget-cpu-min or --max-steps")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.export:
        release = {k: getattr(args, k) for k in ("name", "description", "sampler", "sampler_steps")}
        print(f"train: model {export(args.export, args.model, release) / 1e3:.0f} kB -> {args.model}")
        return
    train(args)


if __name__ == "__main__":
    main()
