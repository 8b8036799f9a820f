#!/usr/bin/env python3
"""bench/peers/w1_numpy.py - workload W1 (bench/workloads.lua) in vectorised numpy.

The reference oversim is compared with (issue 15): the same work as one W1 run
of oversim, written as a researcher would write it in numpy, single-threaded.
`./run.sh bench` times this whole process against `oversim run
bench/one_run.lua` (paired runs, median ratio).

  python3 bench/peers/w1_numpy.py [--seed N] [--rounds 200] [--contexts 64]
      [--behaviours 16] [--features 32] [--labels raw|pairs]

The work, as bench/workloads.lua and the core do it:
  world   C contexts x B behaviours (uniform training weights), features
          phi ~ N(0, 1/D), looks = a . phi with a ~ N(0, I); prior pi0 from a
          flat Dirichlet; a hidden flaw on 25% of cells, effect U(-2, 0) and
          difficulty 0..3; true value v* = looks + flaw.
  human   competence 1, beta 5, judging by looks where unsure: it perceives
          u = looks + the flaws of difficulty <= 1, and prefers b1 with
          probability sigmoid(5 (u1 - u2)).
  round   256 labels on (c ~ training weights, b1 ~ pi(.|c), b2 ~ pi(.|c)
          without b1); the linear Bradley-Terry reward model r = phi . psi
          refitted (warm start) by 20 full-batch gradient steps, lr 1, on the
          mean loss over all labels so far plus (1e-4 / labels) |psi|^2; then
          8 REINFORCE steps of batch 1024 on the linear softmax policy
          pi ~ pi0 exp(phi . theta), lr 1, regularised reward
          r - 0.1 log(pi / pi0), baseline E_pi per context; then the round's
          measurements (true, proxy and perceived value, KL, deception rate,
          over- and underestimation), as oversim writes them per round.
  labels  raw (default): every label kept, each refit step runs over all of
          them (the usual numpy code; its refit grows with the rounds).
          pairs: labels counted per distinct comparison (c, b1 < b2), as
          oversim stores them, so a refit costs what the comparisons cost.

The world is drawn from the same distribution with numpy's generator, not the
same draw as oversim's, so final values agree in distribution, not exactly.
Threads: OMP, OpenBLAS and MKL are pinned to 1 before numpy loads.
Prints one line: the final round's true and perceived value.
"""
import argparse
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import numpy as np  # noqa: E402  (after the thread settings, on purpose)


def make_world(rng, C, B, D):
    a = rng.standard_normal(D)
    phi = rng.standard_normal((C * B, D)) / np.sqrt(D)
    looks = phi @ a
    prior = rng.exponential(1.0, (C, B))
    prior /= prior.sum(axis=1, keepdims=True)
    flaw = rng.random(C * B) < 0.25
    difficulty = rng.integers(0, 4, C * B)
    effect = np.where(flaw, -2.0 * rng.random(C * B), 0.0)
    vstar = looks + effect
    u = looks + np.where(difficulty <= 1, effect, 0.0)  # what competence 1 sees
    return phi, np.log(prior).ravel(), looks, vstar, u


def softmax_rows(logits, C, B):
    z = logits.reshape(C, B)
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return logp.ravel(), np.exp(logp).ravel()


def pick_rows(rng, cum_rows, rows):
    """One draw per row from the row's cumulative distribution (inverse CDF)."""
    u = rng.random(len(rows)) * cum_rows[rows, -1]
    b = (cum_rows[rows] <= u[:, None]).sum(axis=1)
    return np.minimum(b, cum_rows.shape[1] - 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--contexts", type=int, default=64)
    ap.add_argument("--behaviours", type=int, default=16)
    ap.add_argument("--features", type=int, default=32)
    ap.add_argument("--labels", choices=("raw", "pairs"), default="raw")
    o = ap.parse_args()
    C, B, D, R = o.contexts, o.behaviours, o.features, o.rounds
    n_labels, beta, fit_steps, fit_lr, l2 = 256, 5.0, 20, 1.0, 1e-4
    steps, batch, pol_lr, kl = 8, 1024, 1.0, 0.1

    rng = np.random.default_rng(o.seed)
    phi, log_prior, looks, vstar, u = make_world(rng, C, B, D)
    deceptive = (looks - vstar) > 0  # oversim's default deception threshold 0
    ctx_cum = np.cumsum(np.full(C, 1.0 / C))
    psi, theta = np.zeros(D), np.zeros(D)
    reward = np.zeros(C * B)
    logp, probs = softmax_rows(log_prior + phi @ theta, C, B)

    if o.labels == "raw":  # every label, preallocated
        i1s = np.empty(R * n_labels, dtype=np.int64)
        i2s = np.empty(R * n_labels, dtype=np.int64)
        ys = np.empty(R * n_labels)
    else:  # label weight for b1 and b2 per (c, b1, b2), b1 < b2
        win1, win2 = np.zeros(C * B * B), np.zeros(C * B * B)
    n = 0
    row = None
    for t in range(R + 1):
        if t > 0:
            # ask: contexts, then b1 ~ pi, then b2 ~ pi without b1
            c = np.searchsorted(ctx_cum, rng.random(n_labels) * ctx_cum[-1], side="right")
            c = np.minimum(c, C - 1)
            P = probs.reshape(C, B)
            b1 = pick_rows(rng, np.cumsum(P, axis=1), c)
            rest = P[c].copy()
            rest[np.arange(n_labels), b1] = 0
            b2 = pick_rows(rng, np.cumsum(rest, axis=1), np.arange(n_labels))
            i1, i2 = c * B + b1, c * B + b2
            y = (rng.random(n_labels) < 1 / (1 + np.exp(-beta * (u[i1] - u[i2])))).astype(float)
            if o.labels == "raw":
                i1s[n:n + n_labels], i2s[n:n + n_labels], ys[n:n + n_labels] = i1, i2, y
            else:
                lo, hi = np.minimum(b1, b2), np.maximum(b1, b2)
                first = np.where(b1 < b2, y, 1 - y)  # the label for the lower index
                key = (c * B + lo) * B + hi
                win1 += np.bincount(key, first, C * B * B)
                win2 += np.bincount(key, 1 - first, C * B * B)
            n += n_labels
            # refit: full-batch gradient steps on the mean BT loss, warm start
            if o.labels == "raw":
                p1, p2, a, b = i1s[:n], i2s[:n], ys[:n], 1 - ys[:n]
            else:
                key = np.flatnonzero(win1 + win2)
                hi = key % B
                lo = (key // B) % B
                cc = key // (B * B)
                p1, p2, a, b = cc * B + lo, cc * B + hi, win1[key], win2[key]
            for _ in range(fit_steps):
                r = phi @ psi
                s = 1 / (1 + np.exp(-(r[p1] - r[p2])))
                dl = (a * (s - 1) + b * s) / n
                g = np.bincount(p1, dl, C * B) - np.bincount(p2, dl, C * B)
                psi -= fit_lr * (phi.T @ g + 2 * (l2 / n) * psi)
            reward = phi @ psi
            if not np.all(np.isfinite(psi)):
                raise SystemExit("w1_numpy: the reward model diverged")
            # improve: REINFORCE with the exact per-context baseline
            for _ in range(steps):
                logp, probs = softmax_rows(log_prior + phi @ theta, C, B)
                g = reward - kl * (logp - log_prior)
                P, G = probs.reshape(C, B), g.reshape(C, B)
                adv = (G - (P * G).sum(axis=1, keepdims=True)).ravel()
                cs = np.searchsorted(ctx_cum, rng.random(batch) * ctx_cum[-1], side="right")
                cs = np.minimum(cs, C - 1)
                bs = pick_rows(rng, np.cumsum(P, axis=1), cs)
                a_s = adv[cs * B + bs]
                g_cell = np.bincount(cs * B + bs, a_s, C * B)
                g_cell -= (np.bincount(cs, a_s, C)[:, None] * P).ravel()
                theta += pol_lr * (phi.T @ (g_cell / batch))
            logp, probs = softmax_rows(log_prior + phi @ theta, C, B)
        # the round's measurements, weighted by the uniform context weights
        w = 1.0 / C
        row = dict(true_value=w * (probs @ vstar), proxy_value=w * (probs @ reward),
                   perceived_value=w * (probs @ u), kl=w * (probs @ (logp - log_prior)),
                   deception_rate=w * probs[deceptive].sum(),
                   overestimation=w * (probs @ np.maximum(0, u - vstar)),
                   underestimation=w * (probs @ np.maximum(0, vstar - u)))
    print("w1_numpy: %d rounds, labels %s: true value %.3f, perceived value %.3f"
          % (R, o.labels, row["true_value"], row["perceived_value"]))


if __name__ == "__main__":
    main()
