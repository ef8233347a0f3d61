"""The five official DCTdiff checkpoints and what a model file needs to
know about each (method.md sections C and C.2).

Two releases exist.  v1 = the Google-Drive checkpoints linked from the
README of the first code release; v2 = the HuggingFace files of the ICML
version (repository forever208/DCTdiff).  Network, tokeniser and eta are the
same in both; the SNR scale c, the sampler and the step count differ, and c is
a property of the trained weights, so every file records its release.

    from official_configs import CONFIGS, metadata
    meta = metadata("celeba64", "v1")     # full docs/model-format.md map
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dctdiff_py import modelfile  # noqa: E402

HF = "https://huggingface.co/forever208/DCTdiff/resolve/main/"
DRIVE = "https://drive.google.com/file/d/{}/view?usp=sharing"

ZIGZAG4 = [0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15]

S = dict(embed_dim=512, depth=12, num_heads=8)    # UViT "small"
M = dict(embed_dim=768, depth=16, num_heads=12)   # UViT "mid"

# Per config: the data layout, the architecture (mlp_ratio 4, no qkv bias, no
# time MLP in every official config), the entropy tables the training loss
# used (raster order), and per release: SNR scale, default sampler and steps,
# checkpoint file, download address, optimiser steps when known.
CONFIGS = {
    "cifar10": dict(
        title="CIFAR-10 32x32, DCTdiff-M/4", resolution=32, block_size=2, low_freqs=4,
        eta=242.382, order=[0, 1, 2, 3], arch=dict(M, num_classes=0),
        entropy=dict(y=[6.471, 3.588, 3.767, 2.411], cb=[4.308, 1.315, 1.487, 1.0],
                     cr=[4.014, 1.284, 1.435, 1.0]),
        releases=dict(
            v1=dict(snr_scale=2.0, sampler="dpm-solver", steps=50, train_steps=175000,
                    file="cifar10_DCTdiff_mid_2by2.pth",
                    url=DRIVE.format("14eJ-M2022qjdJxTIZbhSKe6RMbQao-K-")),
            v2=dict(snr_scale=4.0, sampler="euler-ode", steps=100,
                    file="DCTdiff_cifar10_mid.pth", url=HF + "DCTdiff_cifar10_mid.pth"))),
    "celeba64": dict(
        title="CelebA 64x64, DCTdiff-S/4", resolution=64, block_size=2, low_freqs=4,
        eta=244.925, order=[0, 1, 2, 3], arch=dict(S, num_classes=0),
        entropy=dict(y=[6.507, 3.297, 3.063, 1.844], cb=[4.013, 1.287, 1.06, 1.0],
                     cr=[4.239, 1.422, 1.204, 1.0]),
        releases=dict(
            v1=dict(snr_scale=4.0, sampler="dpm-solver", steps=50, train_steps=225000,
                    file="celeba64_DCTdiff_small_2by2.pth",
                    url=DRIVE.format("1kItTgrqf5k4972QFMZP8NUhbfhbLAvN4")),
            # v2 ships two CelebA files; the config's c = 4 goes with the
            # Euler-ODE one, named "ddim" upstream.  The "DPMSolver" file is
            # said to use c = 1: convert it with --snr-scale 1 --sampler dpm-solver.
            v2=dict(snr_scale=4.0, sampler="euler-ode", steps=100,
                    file="DCTdiff_celeba64_small_ddim.pth",
                    url=HF + "DCTdiff_celeba64_small_ddim.pth"))),
    "imgnet64": dict(
        title="ImageNet 64x64 class-conditional, DCTdiff-S/4", resolution=64, block_size=2,
        low_freqs=4, eta=247.125, order=[0, 1, 2, 3], arch=dict(S, num_classes=1000),
        entropy=dict(y=[6.522, 3.377, 3.386, 2.389], cb=[4.27, 1.329, 1.351, 0.988],
                     cr=[4.078, 1.292, 1.303, 0.987]),
        releases=dict(
            v1=dict(snr_scale=4.0, sampler="dpm-solver", steps=50, train_steps=475000,
                    file="imgnet64_DCTdiff_small_2by2.pth",
                    url=DRIVE.format("1JvVYP7NNJACR-atYrxiTd2rX6uhbgMJn")),
            v2=dict(snr_scale=4.0, sampler="euler-ode", steps=100,
                    file="DCTdiff_imgnet64_small.pth", url=HF + "DCTdiff_imgnet64_small.pth"))),
    "ffhq128": dict(
        title="FFHQ 128x128, DCTdiff-S/8", resolution=128, block_size=4, low_freqs=9,
        eta=480.25, order=ZIGZAG4, arch=dict(S, num_classes=0),
        entropy=dict(
            y=[6.53, 3.478, 2.196, 1.405, 3.378, 2.381, 1.765, 1.185, 2.072, 1.697, 1.291,
               0.999, 1.291, 1.083, 0.999, 0.999],
            cb=[4.138, 1.741, 0.999, 0.998, 1.589, 0.998, 0.998, 0.998, 0.998, 0.998, 0.997,
                0.998, 0.997, 0.998, 0.998, 0.998],
            cr=[4.391, 1.904, 0.998, 0.998, 1.758, 1.082, 0.998, 0.998, 0.999, 0.998, 0.998,
                0.998, 1.0, 0.998, 0.998, 0.998]),
        releases=dict(
            v1=dict(snr_scale=3.0, sampler="dpm-solver", steps=50, train_steps=300000,
                    file="ffhq128_DCTdiff_small_4by4.pth",
                    url=DRIVE.format("1iCQm_WX5AApyaJVuVeFAZBU1S9mI6BGB")),
            v2=dict(snr_scale=4.0, sampler="dpm-solver", steps=100,
                    file="DCTdiff_ffhq128_small.pth", url=HF + "DCTdiff_ffhq128_small.pth"))),
    "ffhq256": dict(
        title="FFHQ 256x256, DCTdiff-M/8", resolution=256, block_size=4, low_freqs=8,
        eta=485.0, order=ZIGZAG4, arch=dict(M, num_classes=0),
        entropy=dict(
            y=[6.543, 2.894, 1.769, 1.197, 2.8, 1.916, 1.458, 1.029, 1.647, 1.386, 1.106,
               0.994, 1.107, 0.996, 0.994, 0.996],
            cb=[4.173, 1.392, 0.992, 0.989, 1.338, 0.991, 0.99, 0.991, 0.992, 0.992, 0.989,
                0.991, 0.99, 0.991, 0.991, 0.991],
            cr=[4.417, 1.52, 0.993, 0.99, 1.473, 0.991, 0.99, 0.991, 0.993, 0.991, 0.989,
                0.99, 0.997, 0.991, 0.989, 0.991]),
        releases=dict(
            v1=dict(snr_scale=1.0, sampler="dpm-solver", steps=50, train_steps=200000,
                    file="ffhq256_DCTdiff_mid_4by4.pth",
                    url=DRIVE.format("16CxB5QUi5pVfvLonggicKgYQOeiF5AP2")),
            v2=dict(snr_scale=4.0, sampler="dpm-solver", steps=100,
                    file="DCTdiff_ffhq256_mid.pth", url=HF + "DCTdiff_ffhq256_mid.pth"))),
}

BETA_MIN, BETA_MAX = 0.1, 20.0


def metadata(config, release, snr_scale=None, sampler=None, steps=None, name=None,
             description=None, license=""):
    """The full metadata map for one official checkpoint; the keyword
    arguments override the table (for a checkpoint whose c differs)."""
    c, r = CONFIGS[config], CONFIGS[config]["releases"][release]
    side = c["resolution"] // (2 * c["block_size"])
    snr = r["snr_scale"] if snr_scale is None else snr_scale
    train = dict(dataset=config, release=release, steps=r.get("train_steps", ""),
                 entropy_y=c["entropy"]["y"], entropy_cb=c["entropy"]["cb"],
                 entropy_cr=c["entropy"]["cr"])
    return modelfile.build_meta(
        name=name or f"{config}-{release}",
        description=description or f"{c['title']}, official {release} weights, c = {snr:g}",
        license=license,
        arch=dict(c["arch"], mlp_ratio=4, qkv_bias=False, mlp_time_embed=False),
        dct=dict(resolution=c["resolution"], block_size=c["block_size"],
                 low_freqs=c["low_freqs"], chroma="420", eta=c["eta"], order=c["order"],
                 tokens=side * side),
        schedule=dict(beta_min=BETA_MIN, beta_max=BETA_MAX, snr_scale=snr),
        sampler={"default": sampler or r["sampler"], "steps": steps or r["steps"]},
        train=train)


def expected_shapes(config):
    """name -> shape of every tensor of the config's network."""
    meta = metadata(config, "v1")
    return modelfile.tensor_shapes(**modelfile.uvit_kwargs(meta))
