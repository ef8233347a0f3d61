#!/usr/bin/env python3
"""CPU smoke test of the training pipeline (weights/*.py) on synthetic
images: folder -> pack (deterministic) -> statistics -> a few training steps
(the loss falls) -> resume (the step counter continues, the weights come back
exactly) -> export -> the C engine loads the file and, from the same noise,
samples the same image as the PyTorch reference.

    test_train_pipeline.py DCTDIFF      (exit 77 = skipped: no torch)"""
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
    from PIL import Image
except ImportError as e:
    print(f"skip: {e}")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "weights"))
import dataset  # noqa: E402
import evaluate  # noqa: E402
import stats  # noqa: E402
import train  # noqa: E402

SIZE = 16
FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILURES.append(what)


def synthetic_folder(root, count=48, seed=7):
    """Flat-coloured discs and squares on white, some with transparency,
    at 24 px so that the builder has to resize them."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:24, 0:24]
    for i in range(count):
        rgba = np.zeros((24, 24, 4), np.uint8)
        cy, cx, r = rng.integers(7, 17, 2).tolist() + [int(rng.integers(4, 8))]
        mask = ((yy - cy) ** 2 + (xx - cx) ** 2 < r * r) if i % 2 else \
            ((abs(yy - cy) < r) & (abs(xx - cx) < r))
        rgba[mask] = list(rng.integers(0, 256, 3)) + [255]
        Image.fromarray(rgba, "RGBA").save(os.path.join(root, f"img{i:03d}.png"))


def loss_falls(history):
    first, last = history[0]["loss"], history[-1]["loss"]
    check(last < 0.7 * first, f"loss falls: {first:.3f} -> {last:.3f}")


def resume_continues(tmp, pack, ckpt, common):
    before = train.load_checkpoint(ckpt)
    again = os.path.join(tmp, "again")
    train.main(["--data", pack, "--resume", ckpt, "--out", again, "--max-steps", "1",
                "--lr", "0", "--warmup", "1"] + common)
    after = train.load_checkpoint(os.path.join(again, "checkpoint"))
    check(after["step"] == before["step"] + 1,
          f"resume continues the step count ({before['step']} -> {after['step']})")
    same = all(torch.equal(before["model"][k], after["model"][k]) for k in before["model"])
    check(same, "resume restores the weights (a zero-LR step changes nothing)")
    check(after["config"] == before["config"], "resume keeps the configuration")


def v_weight_rescales_each_sample():
    """--loss-weight v is each sample's noise loss times 1 / alpha(t)^2."""
    sched = train.VPSchedule(64.0, train.BETA_MIN, train.BETA_MAX)
    x0 = torch.randn(8, 4, 6, generator=torch.Generator().manual_seed(5))
    zero_net = lambda x, tau: torch.zeros_like(x)  # noqa: E731
    got = {}
    for kind in train.LOSS_WEIGHTS:
        torch.manual_seed(9)
        got[kind] = float(train.diffusion_loss(zero_net, x0, torch.ones(6), sched, kind))
    torch.manual_seed(9)
    t = torch.rand(8)
    per_sample = (torch.randn_like(x0) ** 2).mean(dim=(1, 2))
    want = float((per_sample / sched.alpha(t).float() ** 2).mean())
    check(abs(got["noise"] - float(per_sample.mean())) < 1e-5 and abs(got["v"] - want) < 1e-3 * want,
          f"v loss weight is 1/alpha^2 per sample ({got['v']:.3f} vs {want:.3f}; "
          f"noise {got['noise']:.3f})")


def flip_matches_mirrored_images(images):
    """The token-space left-right flip of training augmentation is exactly
    the tokens of the mirrored images, for every layout train.py makes."""
    mirrored = np.ascontiguousarray(images[:, :, ::-1])
    for chroma, block, m in (("420", 2, 4), ("444", 2, 4), ("444", 4, 10)):
        cfg = {"block_size": block, "low_freqs": m, "eta": 254.0, "chroma": chroma,
               "resolution": SIZE}
        tok, val, sign = train.flip_tables(cfg)
        flipped = torch.from_numpy(train.tokenize_cfg(images, cfg))[:, tok][:, :, val] * sign
        want = torch.from_numpy(train.tokenize_cfg(mirrored, cfg))
        err = float((flipped - want).abs().max())
        check(err < 1e-5 * float(want.abs().max()),
              f"token flip = tokens of the mirror image, {chroma} B={block} m={m} (max {err:.2g})")


def export_renames(ckpt, model):
    """A run's checkpoint ships under the released model's name."""
    from dctdiff_py import modelfile
    train.main(["--export", ckpt, "--model", model, "--name", "released",
                "--description", "what it draws", "--sampler", "unipc", "--sampler-steps", "30"])
    meta = modelfile.load(model)[1]
    check((meta["name"], meta["description"], meta["sampler.default"], meta["sampler.steps"])
          == ("released", "what it draws", "unipc", "30"),
          f"--export --name/--description/--sampler/--sampler-steps replace the run's ({meta})")
    train.main(["--export", ckpt, "--model", model])
    check(modelfile.load(model)[1]["name"] == "smoke", "a plain export keeps the run's name")


def engine_matches_reference(dctdiff, tmp, model):
    """The C engine loads the export and samples what PyTorch samples."""
    net, meta = evaluate.load_model(model)
    noise = torch.randn(1, meta["dct.tokens"], train.modelfile.token_dim(meta),
                        generator=torch.Generator().manual_seed(3))
    np.save(os.path.join(tmp, "noise.npy"), noise.numpy())
    tok = evaluate.sample_tokens(net, meta, noise, "ddim", 4).numpy()
    want = stats.images_of(tok, SIZE, meta["dct.block_size"], meta["dct.low_freqs"],
                           meta["dct.eta"], meta["dct.chroma"])[0]
    out = os.path.join(tmp, "c.png")
    run = subprocess.run([dctdiff, "generate", "--model", model, "--sampler", "ddim",
                          "--steps", "4", "--init-noise", os.path.join(tmp, "noise.npy"),
                          "-q", "-o", out], capture_output=True, text=True, timeout=60)
    layout = f"{meta['dct.chroma']}"
    check(run.returncode == 0, f"dctdiff generate runs the {layout} export {run.stderr.strip()}")
    if run.returncode:
        return
    got = np.asarray(Image.open(out).convert("RGB")).astype(int)
    diff = np.abs(got - want)
    check(diff.max() <= 2 and (diff > 0).mean() < 0.05,
          f"C and PyTorch {layout} samples agree (max {diff.max()} levels, "
          f"{100 * (diff > 0).mean():.1f}% of values differ)")


def main():
    dctdiff = sys.argv[1]
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "images")
        os.mkdir(src)
        synthetic_folder(src)
        pack = os.path.join(tmp, "set.pack")
        for out in (pack, pack + "2"):
            dataset.main(["folder", src, "--size", str(SIZE), "--out", out])
        check(open(pack, "rb").read() == open(pack + "2", "rb").read(),
              "the pack is byte-identical when rebuilt")
        images = dataset.Pack(pack)
        check(images.images.shape == (48, SIZE, SIZE, 3), "the pack holds every image")
        flip_matches_mirrored_images(images.images)

        st_path = os.path.join(tmp, "stats.json")
        stats.main([pack, "--block-size", "2", "--chroma", "420", "--out", st_path])
        st = stats.compute(images.split("train"), 2, "420")
        check(st["eta"] == 254.0, f"eta of images on white is the white DC ({st['eta']})")

        run = os.path.join(tmp, "run")
        common = ["--threads", "1", "--log-every", "5", "--batch", "16", "--seed", "1"]
        train.main(["--data", pack, "--stats", st_path, "--out", run, "--max-steps", "40",
                    "--embed-dim", "32", "--depth", "2", "--heads", "2", "--lr", "3e-3",
                    "--warmup", "5", "--beta1", "0.9", "--ema", "0.99", "--name", "smoke"]
                   + common)
        ckpt = os.path.join(run, "checkpoint")
        loss_falls(train.load_checkpoint(ckpt)["history"])
        resume_continues(tmp, pack, ckpt, common)

        model = os.path.join(tmp, "smoke.safetensors")
        train.main(["--export", ckpt, "--model", model])
        engine_matches_reference(dctdiff, tmp, model)
        export_renames(ckpt, os.path.join(tmp, "renamed.safetensors"))

        v_weight_rescales_each_sample()
        # The full-chroma layout: a few steps are enough to exercise export
        # and the engine's 12-block tokens, and a v-predicting network (its
        # noise estimate is made by each side from the network's output).
        st444 = os.path.join(tmp, "stats444.json")
        stats.main([pack, "--block-size", "2", "--chroma", "444", "--out", st444])
        run444 = os.path.join(tmp, "run444")
        train.main(["--data", pack, "--stats", st444, "--chroma", "444", "--out", run444,
                    "--max-steps", "5", "--embed-dim", "32", "--depth", "2", "--heads", "2",
                    "--lr", "3e-3", "--warmup", "2", "--name", "smoke444", "--loss-weight", "v",
                    "--prediction", "v",
                    "--model", model] + common)
        engine_matches_reference(dctdiff, tmp, model)
    print("FAILED: " + "; ".join(FAILURES) if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
