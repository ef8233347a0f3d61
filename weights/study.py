#!/usr/bin/env python3
"""Recipe study: trains each candidate for the same CPU budget and evaluates it.

Every candidate gets the same CPU time (`--budget-cpu-min`, the process's own
CPU clock, so a busy machine does not change the comparison), one thread, and
the same data.  After training, each is exported and evaluated with
evaluate.py (SWD ratio on --count held-out images, noise-token fraction).
Runs `--jobs` candidates at once, each at one thread; results are appended to
OUT/study.jsonl and printed as a markdown table for the model card.

    python3 study.py --data data/emoji32.pack --out runs/study --budget-cpu-min 10
    python3 study.py ... --only v64,v4        # some candidates
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# 32 px emoji, one thread, batch 128, AdamW 1e-3 with 50 warm-up steps and a
# decay over the last 10 %.  "tokens" is what sets the CPU cost.
COMMON = ["--batch", "128", "--lr", "1e-3", "--warmup", "50", "--beta1", "0.9",
          "--beta2", "0.99", "--ema", "0.999", "--decay-frac", "0.1", "--threads", "1",
          "--log-every", "50"]
B4 = ["--block-size", "4", "--chroma", "444", "--low-freqs", "10"]   # 16 tokens x 120
B2 = ["--block-size", "2", "--chroma", "444", "--low-freqs", "4"]    # 64 tokens x 48
NET192 = ["--embed-dim", "192", "--depth", "6", "--heads", "3"]
CANDIDATES = {
    "noise64": B4 + NET192 + ["--snr-scale", "64", "--prediction", "noise", "--loss-weight", "v"],
    "v64": B4 + NET192 + ["--snr-scale", "64", "--prediction", "v", "--loss-weight", "v"],
    "v4": B4 + NET192 + ["--snr-scale", "4", "--prediction", "v", "--loss-weight", "v"],
    "v4-d128": B4 + ["--embed-dim", "128", "--depth", "6", "--heads", "2",
                     "--snr-scale", "4", "--prediction", "v", "--loss-weight", "v"],
    "v4-d320": B4 + ["--embed-dim", "320", "--depth", "8", "--heads", "5",
                     "--snr-scale", "4", "--prediction", "v", "--loss-weight", "v"],
    "v4-64tok": B2 + NET192 + ["--snr-scale", "4", "--prediction", "v", "--loss-weight", "v"],
}
STATS = {"4": "data/emoji32-444-b4.json", "2": "data/emoji32-444-b2.json"}


def stats_for(args, cand):
    b = cand[cand.index("--block-size") + 1]
    path = os.path.join(HERE, STATS[b])
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(HERE, "stats.py"), args.data,
                        "--block-size", b, "--chroma", "444", "--out", path], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def train_cmd(args, name):
    cand = CANDIDATES[name]
    run = os.path.join(args.out, name)
    return [sys.executable, os.path.join(HERE, "train.py"), "--data", args.data,
            "--stats", stats_for(args, cand), "--out", run, "--name", "study-" + name,
            "--budget-cpu-min", str(args.budget_cpu_min), "--model",
            os.path.join(run, "model.safetensors"), *COMMON, *cand]


def evaluate(args, name):
    run = os.path.join(args.out, name)
    out = os.path.join(run, "eval.json")
    subprocess.run([sys.executable, os.path.join(HERE, "evaluate.py"), "--model",
                    os.path.join(run, "model.safetensors"), "--data", args.data,
                    "--count", str(args.count), "--threads", "1", "--grid",
                    os.path.join(run, "grid.png"), "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    with open(out) as f:
        res = json.load(f)
    with open(os.path.join(run, "history.json")) as f:
        hist = json.load(f)
    rate = [h["samples_per_s"] for h in hist["history"][1:]]
    return {"candidate": name, "steps": hist["step"],
            "samples_per_s": round(sorted(rate)[len(rate) // 2], 1) if rate else None,
            "cpu_min": args.budget_cpu_min, **{k: res[k] for k in
                                               ("swd_ratio", "noise_tokens", "nn_generated",
                                                "nn_heldout")}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--budget-cpu-min", type=float, default=10.0)
    ap.add_argument("--count", type=int, default=256, help="images for the SWD")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", help="comma-separated candidate names")
    args = ap.parse_args(argv)
    names = args.only.split(",") if args.only else list(CANDIDATES)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    os.makedirs(args.out, exist_ok=True)
    for i in range(0, len(names), args.jobs):
        group = names[i:i + args.jobs]
        procs = [subprocess.Popen(train_cmd(args, n), env=env, stdout=open(
            os.path.join(args.out, n + ".log"), "w"), stderr=subprocess.STDOUT) for n in group]
        if any(p.wait() for p in procs):
            sys.exit(f"study: a training run of {group} failed (see {args.out}/*.log)")
        for n in group:
            row = evaluate(args, n)
            with open(os.path.join(args.out, "study.jsonl"), "a") as f:
                f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
