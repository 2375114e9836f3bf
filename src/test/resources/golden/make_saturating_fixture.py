#!/usr/bin/env python3
"""Regenerate the golden fixture golden/saturating/ from golden/healthy/ (format: golden/README.md).

    python3 src/test/resources/golden/make_saturating_fixture.py      # from the repository root
    (needs only numpy; deterministic: no random numbers are drawn; with the same numpy and BLAS a rerun
     rewrites identical files, elsewhere the figures may move in the last digits, far inside 1e-4)

What it does
  1. Loads golden/healthy/ (PyTorch 2.11 float64 reference) and recomputes every figure of its
     expected.json (loss, raw.*, clipped.*) with the float64 numpy implementation below, which is
     independent of PyTorch and of DL4J. It stops (exit 1) unless every figure agrees to 1e-6
     relative (absolute 1e-12 near zero), so the numbers written for the new fixture come from a
     checked implementation.
  2. Writes golden/saturating/: the same minibatch (x.npy, y.npy copied byte for byte) and the same
     parameters with the output layer (2_W, 2_b) multiplied by OUTPUT_SCALE = 32. A power of two is
     exact in float32, so the float32 .npy files hold exactly the parameters the float64 figures
     were computed from, and the hidden layers (and their ReLU pattern) are unchanged.

What the reference values mean
  - loss: the exact mean softmax cross-entropy, log-sum-exp with the max subtracted, float64. This
    is what the project's loss_exact must read.
  - loss_dl4j: the same mean under DL4J 1.0.0-M2.1 LossMCXENT semantics. DL4J computes the softmax
    in float32 and replaces every probability below (float)1e-10 by (float)1e-10 (and above 1 - 1e-10,
    which is 1.0 in float32, so never) before the log. An example saturates when its float32
    true-class probability p_true <= float32(1e-10); its term is then -ln(float32(1e-10)) =
    23.025850916589025, the others keep their exact term. Saturation is decided here on a float32
    emulation of DL4J's softmax (z rounded to float32, max subtracted, float32 exp and sum) and
    cross-checked against the float64 per-example loss; the script stops unless both agree and
    every example is at least MIN_MARGIN nats away from the 23.03 line, so float32 rounding in
    DL4J cannot move an example across it.
  - raw, clipped.*: the gradient of the EXACT loss, (p - y)/k at the logits with the unclipped p,
    back-propagated in float64. DL4J's LossMCXENT.computeGradient for softmax is output - labels
    from the unclipped softmax (the clip only enters its score), so DL4J's gradient is the gradient
    of loss, not of loss_dl4j. GoldenGradientTest checks that against DL4J rather than assuming it.
    The gradient of the clipped loss would instead drop the saturated examples' rows (a constant
    term has no gradient); spec.json records its global L2 norm to show the two are far apart, so
    the test tells them apart.
  - the clipping rules and the SGD step are those of golden/README.md, with the thresholds of
    golden/healthy/spec.json.
"""
import json
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "healthy")
OUT = os.path.join(HERE, "saturating")
KEYS = ["0_W", "0_b", "1_W", "1_b", "2_W", "2_b"]
LAYERS = [["0_W", "0_b"], ["1_W", "1_b"], ["2_W", "2_b"]]
OUTPUT_SCALE = 32.0            # 2_W and 2_b times this; a power of two, exact in float32
EPS32 = float(np.float32(1e-10))  # DL4J's softmaxClipEps as the float32 its loss compares with
LN_EPS = -np.log(EPS32)        # 23.025850916589025: one saturated example's DL4J loss term
MIN_MARGIN = 0.05              # nats between any example's exact loss and LN_EPS
CHECK_REL = 1e-6


def load(d):
    P = {k: np.load(os.path.join(d, k + ".npy")) for k in KEYS}
    x = np.load(os.path.join(d, "x.npy"))
    y = np.load(os.path.join(d, "y.npy"))
    for a in list(P.values()) + [x, y]:
        assert a.dtype == np.float32, a.dtype
    with open(os.path.join(d, "spec.json")) as f:
        spec = json.load(f)
    with open(os.path.join(d, "expected.json")) as f:
        expected = json.load(f)
    return P, x, y, spec, expected


def forward_backward(P32, x32, y32):
    """784-128-64-10 ReLU/ReLU/softmax, mean cross-entropy; float64 throughout. W is [nIn, nOut]."""
    P = {k: v.astype(np.float64) for k, v in P32.items()}
    x = x32.astype(np.float64)
    y = y32.astype(np.float64)
    k = x.shape[0]
    a1 = x @ P["0_W"] + P["0_b"]
    h1 = np.maximum(a1, 0)
    a2 = h1 @ P["1_W"] + P["1_b"]
    h2 = np.maximum(a2, 0)
    z = h2 @ P["2_W"] + P["2_b"]
    zmax = z.max(axis=1, keepdims=True)
    e = np.exp(z - zmax)
    s = e.sum(axis=1, keepdims=True)
    lse = zmax[:, 0] + np.log(s[:, 0])
    per_example = lse - (y * z).sum(axis=1)          # y is one-hot
    p = e / s
    dz = (p - y) / k                                  # d mean-loss / dz, unclipped p
    d2 = (dz @ P["2_W"].T) * (a2 > 0)
    d1 = (d2 @ P["1_W"].T) * (a1 > 0)
    G = {"0_W": x.T @ d1, "0_b": d1.sum(0, keepdims=True),
         "1_W": h1.T @ d2, "1_b": d2.sum(0, keepdims=True),
         "2_W": h2.T @ dz, "2_b": dz.sum(0, keepdims=True)}
    return per_example, z, G, (h1, h2, a1, a2, x)


def backward_from_dz(P32, cache, dz):
    """The same backward pass from a given dz (used for the clipped-loss gradient recorded in spec.json)."""
    P = {k: v.astype(np.float64) for k, v in P32.items()}
    h1, h2, a1, a2, x = cache
    d2 = (dz @ P["2_W"].T) * (a2 > 0)
    d1 = (d2 @ P["1_W"].T) * (a1 > 0)
    return {"0_W": x.T @ d1, "0_b": d1.sum(0, keepdims=True),
            "1_W": h1.T @ d2, "1_b": d2.sum(0, keepdims=True),
            "2_W": h2.T @ dz, "2_b": dz.sum(0, keepdims=True)}


def l2(a):
    return float(np.sqrt(np.sum(np.square(a))))


def four(G):
    return {"param_l2": {k: l2(G[k]) for k in KEYS},
            "layer_l2": [float(np.sqrt(sum(np.sum(np.square(G[k])) for k in ks))) for ks in LAYERS],
            "global_l2": float(np.sqrt(sum(np.sum(np.square(G[k])) for k in KEYS))),
            "max_abs": float(max(np.max(np.abs(G[k])) for k in KEYS))}


def clipped(P32, G, th):
    P = {k: v.astype(np.float64) for k, v in P32.items()}
    out = {}
    norm = four(G)["global_l2"]
    glob = {k: g * min(1.0, th["global_l2"] / (norm + 1e-6)) for k, g in G.items()}
    out["global_l2"] = dict(four(glob), norm_before=norm)
    out["elementwise"] = four({k: np.clip(g, -th["elementwise"], th["elementwise"]) for k, g in G.items()})
    layer = {}
    for ks in LAYERS:
        n = float(np.sqrt(sum(np.sum(np.square(G[k])) for k in ks)))
        for k in ks:
            layer[k] = G[k] * (th["layer_l2"] / n if n > th["layer_l2"] else 1.0)
    out["layer_l2"] = four(layer)
    out["param_l2"] = four({k: g * (th["param_l2"] / l2(g) if l2(g) > th["param_l2"] else 1.0) for k, g in G.items()})
    renorm_layer = {}
    for ks in LAYERS:
        n = float(np.sqrt(sum(np.sum(np.square(G[k])) for k in ks)))
        for k in ks:
            renorm_layer[k] = G[k] / n
    out["renorm_layer"] = four(renorm_layer)
    out["renorm_param"] = four({k: g / l2(g) for k, g in G.items()})
    lam, eps = th["agc_lambda"], th["agc_eps"]
    agc = {}
    for k, g in G.items():
        if k.endswith("_W"):                       # one unit per output neuron: a column of [nIn, nOut]
            wn = np.sqrt(np.sum(np.square(P[k]), axis=0, keepdims=True))
            gn = np.sqrt(np.sum(np.square(g), axis=0, keepdims=True))
        else:                                      # a bias vector is one unit
            wn = np.array(l2(P[k]))
            gn = np.array(l2(g))
        lim = lam * np.maximum(wn, eps)
        agc[k] = np.where(gn > lim, g * lim / np.maximum(gn, 1e-6), g)
    out["agc"] = four(agc)
    lr = th["sgd_lr"]
    step = {k: lr * g for k, g in glob.items()}
    out["sgd_step_after_global_l2"] = {
        "lr": lr,
        "update_l2": {k: l2(step[k]) for k in KEYS},
        "update_param_ratio_l2": {k: l2(step[k]) / l2(P[k]) for k in KEYS},
        "update_param_ratio_meanabs": {k: float(np.mean(np.abs(step[k])) / np.mean(np.abs(P[k]))) for k in KEYS}}
    return out


def figures(P32, x32, y32, th):
    per_example, z, G, cache = forward_backward(P32, x32, y32)
    return per_example, z, G, cache, {"loss": float(per_example.mean()), "raw": four(G), "clipped": clipped(P32, G, th)}


def compare(ref, got, path=""):
    """Largest relative difference over every number in ref (a float64 reference)."""
    worst = (0.0, "")
    if isinstance(ref, dict):
        for k, v in ref.items():
            assert k in got, "missing " + path + "." + k
            worst = max(worst, compare(v, got[k], path + "." + k))
    elif isinstance(ref, list):
        assert len(ref) == len(got), path
        for i, v in enumerate(ref):
            worst = max(worst, compare(v, got[i], path + "[%d]" % i))
    else:
        worst = (abs(got - ref) / max(abs(ref), 1e-12 / CHECK_REL), path)
    return worst


def dl4j_softmax_true_class(z64, y32):
    """DL4J's float32 softmax probability of each example's true class: z as float32, max subtracted."""
    z = z64.astype(np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True, dtype=np.float32)
    return (p * y32).sum(axis=1, dtype=np.float32)


def main():
    P, x, y, spec, expected = load(SRC)
    th = dict(spec["thresholds"])
    _, _, _, _, got = figures(P, x, y, th)
    ref = {k: expected[k] for k in ("loss", "raw", "clipped")}
    worst, where = compare(ref, got)
    print("healthy: numpy vs expected.json (PyTorch): max relative difference %.3g at %s" % (worst, where))
    if worst > CHECK_REL:
        sys.exit("healthy fixture not reproduced to %g: not writing golden/saturating/" % CHECK_REL)

    Ps = dict(P)
    for k in ("2_W", "2_b"):
        Ps[k] = (P[k] * np.float32(OUTPUT_SCALE)).astype(np.float32)
        assert np.array_equal(Ps[k].astype(np.float64), P[k].astype(np.float64) * OUTPUT_SCALE), "scale not exact"
    per_example, z, G, cache, fig = figures(Ps, x, y, th)
    p_true32 = dl4j_softmax_true_class(z, y)
    sat32 = p_true32 <= np.float32(EPS32)
    sat64 = per_example >= LN_EPS
    margin = float(np.min(np.abs(per_example - LN_EPS)))
    if not np.array_equal(sat32, sat64) or margin < MIN_MARGIN:
        sys.exit("saturation ambiguous (float32 vs float64 disagree or margin %.3g < %g)" % (margin, MIN_MARGIN))
    n_sat = int(sat32.sum())
    loss_dl4j = float(np.where(sat32, LN_EPS, per_example).mean())
    # The gradient of the clipped loss (not the reference): saturated rows contribute nothing.
    k = x.shape[0]
    zmax = z.max(axis=1, keepdims=True)
    pp = np.exp(z - zmax); pp /= pp.sum(axis=1, keepdims=True)
    dz_clipped = np.where(sat32[:, None], 0.0, (pp - y.astype(np.float64)) / k)
    clipped_loss_global = four(backward_from_dz(Ps, cache, dz_clipped))["global_l2"]

    out_expected = {
        "oracle": "numpy %s float64, make_saturating_fixture.py (checked on golden/healthy against PyTorch: max rel diff %.2g)"
                  % (np.__version__, worst),
        "loss": fig["loss"],
        "loss_dl4j": loss_dl4j,
        "saturated_examples": n_sat,
        "raw": fig["raw"],
        "clipped": fig["clipped"],
    }
    out_spec = dict(spec)
    out_spec.update({
        "derived_from": "healthy: same x.npy, y.npy (byte for byte) and parameters, with 2_W and 2_b multiplied by %g "
                        "(exact in float32); hidden layers unchanged" % OUTPUT_SCALE,
        "generator": "src/test/resources/golden/make_saturating_fixture.py (numpy float64; rerun: python3 "
                     "src/test/resources/golden/make_saturating_fixture.py)",
        "init": spec.get("init", "") + " (healthy's draw, seed %s), then 2_W, 2_b x%g" % (spec.get("seed"), OUTPUT_SCALE),
        "loss": "mean softmax cross-entropy over the minibatch, exact (log-sum-exp); loss_dl4j: DL4J LossMCXENT, float32 "
                "softmax probabilities clipped to [1e-10, 1 - 1e-10] before the log",
        "gradient": "raw and clipped.* are the gradient of the exact loss, (p - y)/k at the logits with the unclipped p, "
                    "which is what DL4J's LossMCXENT.computeGradient returns for softmax; the gradient of loss_dl4j "
                    "(saturated rows dropped) would have global_l2 %.6g instead of %.6g" % (clipped_loss_global, fig["raw"]["global_l2"]),
        "saturation": "%d of %d examples have float32 p_true <= float32(1e-10) (DL4J counts each at %.15g); every "
                      "example's exact loss is at least %.3f nats from that line" % (n_sat, k, LN_EPS, margin),
    })
    os.makedirs(OUT, exist_ok=True)
    for k_ in KEYS:
        np.save(os.path.join(OUT, k_ + ".npy"), Ps[k_])
    for f in ("x.npy", "y.npy"):
        shutil.copyfile(os.path.join(SRC, f), os.path.join(OUT, f))
    with open(os.path.join(OUT, "spec.json"), "w") as f:
        json.dump(out_spec, f, indent=1)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(out_expected, f, indent=1)
    print("saturating: output layer x%g, loss %.10g, loss_dl4j %.10g, %d of %d saturated (margin %.3f nats), "
          "raw global_l2 %.6g (clipped-loss gradient would be %.6g) -> %s"
          % (OUTPUT_SCALE, fig["loss"], loss_dl4j, n_sat, k, margin, fig["raw"]["global_l2"], clipped_loss_global, OUT))


if __name__ == "__main__":
    main()
