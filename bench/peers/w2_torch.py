#!/usr/bin/env python3
"""bench/peers/w2_torch.py - workload W2 (bench/workloads.lua) in PyTorch.

The reference oversim's MLPs are compared with (issue 15): W1 with 2 x 64 tanh
MLPs for the policy and the reward model, on the CPU, float32 (PyTorch's
default; --float64 for double), one thread. `./run.sh bench` times this whole
process against `oversim run bench/one_run.lua workload=w2`.

  python3 bench/peers/w2_torch.py [--seed N] [--rounds 200] [--float64]

The work, as bench/workloads.lua and the core do it (W1's world and human as
in w1_numpy.py, which this file imports):
  models  f(c, b) = w_out . tanh(W2 tanh(W1 phi + b1) + b2), 32-64-64-1, no
          output bias; W1 ~ N(0, 1), W2 ~ N(0, 1/64), biases 0, w_out ~
          N(0, 1/64) for the reward model and 0 for the policy (pi = pi0 at
          the start), as core/model.c's model_init.
  round   256 labels (kept as a list, every refit runs over all of them);
          the reward model refitted by 20 Adam steps (lr 0.01, Adam's state
          kept across rounds) on the mean BT loss plus (1 / labels) |psi|^2
          (reward_model.l2 = 1, the default); then 8 REINFORCE steps of batch
          1024 by Adam (lr 0.01) on the softmax policy pi ~ pi0 exp(f), reward
          r - 0.1 log(pi / pi0) with the exact per-context baseline; every
          forward pass over all C x B cells, as oversim's.
Prints one line: the final round's true and perceived value.
"""
import argparse
import os
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from w1_numpy import make_world  # noqa: E402


class MLP(torch.nn.Module):
    def __init__(self, D, H, out_sd, gen):
        super().__init__()
        self.W1 = torch.nn.Parameter(torch.randn(D, H, generator=gen))
        self.b1 = torch.nn.Parameter(torch.zeros(H))
        self.W2 = torch.nn.Parameter(torch.randn(H, H, generator=gen) / H ** 0.5)
        self.b2 = torch.nn.Parameter(torch.zeros(H))
        self.wo = torch.nn.Parameter(torch.randn(H, generator=gen) * out_sd / H ** 0.5)

    def forward(self, x):
        return torch.tanh(torch.tanh(x @ self.W1 + self.b1) @ self.W2 + self.b2) @ self.wo


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--float64", action="store_true")
    o = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    dtype = torch.float64 if o.float64 else torch.float32
    torch.set_default_dtype(dtype)
    C, B, D, H, R = 64, 16, 32, 64, o.rounds
    n_labels, beta, fit_steps, l2 = 256, 5.0, 20, 1.0
    steps, batch, kl, lr = 8, 1024, 0.1, 0.01

    phi_np, log_prior_np, _, vstar_np, u_np = make_world(np.random.default_rng(o.seed), C, B, D)
    phi = torch.tensor(phi_np, dtype=dtype)
    log_prior = torch.tensor(log_prior_np, dtype=dtype).reshape(C, B)
    u = torch.tensor(u_np, dtype=dtype)
    gen = torch.Generator().manual_seed(o.seed)
    rm = MLP(D, H, 1.0, gen)
    pol = MLP(D, H, 0.0, gen)
    rm_opt = torch.optim.Adam(rm.parameters(), lr=lr)
    pol_opt = torch.optim.Adam(pol.parameters(), lr=lr)
    i1s = torch.empty(R * n_labels, dtype=torch.long)
    i2s = torch.empty(R * n_labels, dtype=torch.long)
    ys = torch.empty(R * n_labels)
    n = 0
    ctx_all = torch.arange(C)

    def policy_probs():
        logp = torch.log_softmax(log_prior + pol(phi).reshape(C, B), dim=1)
        return logp, logp.exp()

    with torch.no_grad():
        logp, probs = policy_probs()
    for t in range(1, R + 1):
        with torch.no_grad():  # ask: c uniform, b1 ~ pi, b2 ~ pi without b1
            c = torch.randint(0, C, (n_labels,), generator=gen)
            b1 = torch.multinomial(probs[c], 1, generator=gen).squeeze(1)
            rest = probs[c].clone()
            rest[torch.arange(n_labels), b1] = 0
            b2 = torch.multinomial(rest, 1, generator=gen).squeeze(1)
            i1, i2 = c * B + b1, c * B + b2
            p1 = torch.sigmoid(beta * (u[i1] - u[i2]))
            y = (torch.rand(n_labels, generator=gen) < p1).to(dtype)
            i1s[n:n + n_labels], i2s[n:n + n_labels], ys[n:n + n_labels] = i1, i2, y
            n += n_labels
        p1, p2, a = i1s[:n], i2s[:n], ys[:n]
        for _ in range(fit_steps):  # the reward model's refit, warm started
            r = rm(phi)
            d = r[p1] - r[p2]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(d, a)
            loss = loss + (l2 / n) * sum((q * q).sum() for q in rm.parameters())
            rm_opt.zero_grad()
            loss.backward()
            rm_opt.step()
        with torch.no_grad():
            reward = rm(phi).reshape(C, B)
            if not torch.isfinite(reward).all():
                raise SystemExit("w2_torch: the reward model diverged")
        for _ in range(steps):  # REINFORCE, exact per-context baseline
            logp, probs = policy_probs()
            with torch.no_grad():
                g = reward - kl * (logp - log_prior)
                adv = g - (probs * g).sum(dim=1, keepdim=True)
                cs = ctx_all[torch.randint(0, C, (batch,), generator=gen)]
                bs = torch.multinomial(probs[cs], 1, replacement=True, generator=gen).squeeze(1)
            obj = (adv[cs, bs] * logp[cs, bs]).sum() / batch
            pol_opt.zero_grad()
            (-obj).backward()
            pol_opt.step()
        with torch.no_grad():
            logp, probs = policy_probs()
    with torch.no_grad():
        P = probs.reshape(-1).double()
        tv = float(P @ torch.tensor(vstar_np)) / C
        pv = float(P @ u.double()) / C
    print("w2_torch: %d rounds, %s: true value %.3f, perceived value %.3f"
          % (R, "float64" if o.float64 else "float32", tv, pv))


if __name__ == "__main__":
    main()
