"""The PyTorch reference for `gan bench`: the same three workloads, the same shapes, losses
and optimizers (see src/bench.rs), timed the same way (10 warm-up steps, then runs of N steps).
Prints one JSON line per workload, like `gan bench`. Run by scripts/bench/native (on the CPU);
`--device cuda` times the same on a GPU, with batches made on the host and uploaded each step
as the Trainer does."""
import argparse
import json
import math
import time

import torch
from torch import nn
from torch.nn import functional as F


def mlp(d_in, d_out, hidden, depth, act):
    layers, width = [], d_in
    for _ in range(depth):
        layers += [nn.Linear(width, hidden), act()]
        width = hidden
    return nn.Sequential(*layers, nn.Linear(width, d_out))


def ring8(n):
    # 8 Gaussians on a circle of radius 2, std 0.02 (the ring8 preset).
    angle = torch.randint(0, 8, (n,)) * (2 * math.pi / 8)
    return torch.stack([2 * angle.cos(), 2 * angle.sin()], 1) + 0.02 * torch.randn(n, 2)


WORKLOADS = {
    # name: latent, data dim, hidden, depth, batch, lr, real batch sampler, G output map
    "ring8": (8, 2, 128, 3, 256, 1e-3, ring8, lambda x: x),
    "mnist-mlp": (100, 784, 512, 3, 64, 2e-4, lambda n: torch.rand(n, 784) * 2 - 1, torch.tanh),
}


class BatchNorm(nn.Module):
    """Batch statistics always, as src/model/dcgan.rs (no running averages)."""

    def __init__(self, c):
        super().__init__()
        self.gamma, self.beta = nn.Parameter(torch.ones(c)), nn.Parameter(torch.zeros(c))

    def forward(self, x):
        mean = x.mean((0, 2, 3), keepdim=True)
        var = ((x - mean) ** 2).mean((0, 2, 3), keepdim=True)
        return (x - mean) / (var + 1e-5).sqrt() * self.gamma.view(1, -1, 1, 1) + self.beta.view(1, -1, 1, 1)


def dcgan(latent, c):
    # The digits-dcgan preset (src/model/dcgan.rs): G z → 2c×7×7 → c×14×14 → 1×28×28, D mirrored.
    g = nn.Sequential(
        nn.Linear(latent, 2 * c * 49), nn.Unflatten(1, (2 * c, 7, 7)), BatchNorm(2 * c), nn.ReLU(),
        nn.ConvTranspose2d(2 * c, c, 4, 2, 1), BatchNorm(c), nn.ReLU(),
        nn.ConvTranspose2d(c, 1, 4, 2, 1), nn.Tanh(), nn.Flatten())
    d = nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, c, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(c, 2 * c, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(2 * c * 49, 1))
    return g, d


class Gan:
    def __init__(self, name, dev):
        self.dev = dev
        if name == "digits-dcgan":
            self.latent, self.batch, lr = 64, 64, 2e-4
            self.real, self.out = (lambda n: torch.rand(n, 784) * 2 - 1), (lambda x: x)
            self.g, self.d = dcgan(64, 32)
        else:
            latent, dim, hidden, depth, batch, lr, real, out = WORKLOADS[name]
            self.latent, self.batch, self.real, self.out = latent, batch, real, out
            self.g = mlp(latent, dim, hidden, depth, nn.ReLU)
            self.d = mlp(dim, 1, hidden, depth, lambda: nn.LeakyReLU(0.2))
        self.g, self.d = self.g.to(dev), self.d.to(dev)
        self.g_opt = torch.optim.Adam(self.g.parameters(), lr=lr, betas=(0.5, 0.999))
        self.d_opt = torch.optim.Adam(self.d.parameters(), lr=lr, betas=(0.5, 0.999))

    def step(self):
        # Non-saturating game, one D then one G update, as Trainer::step with d_steps = 1.
        real = self.real(self.batch).to(self.dev)
        with torch.no_grad():
            fake = self.out(self.g(torch.randn(self.batch, self.latent).to(self.dev)))
        d_loss = F.softplus(-self.d(real)).mean() + F.softplus(self.d(fake)).mean()
        self.d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        self.d_opt.step()
        for p in self.d.parameters():
            p.requires_grad_(False)
        z = torch.randn(self.batch, self.latent).to(self.dev)
        g_loss = F.softplus(-self.d(self.out(self.g(z)))).mean()
        self.g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        self.g_opt.step()
        for p in self.d.parameters():
            p.requires_grad_(True)
        return g_loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", default="ring8,mnist-mlp,digits-dcgan")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for name in a.workload.split(","):
        gan = Gan(name, a.device)
        for _ in range(10):
            gan.step()
        rates = []
        for _ in range(a.repeats):
            t = time.perf_counter()
            for _ in range(a.steps):
                loss = gan.step()
            loss.item()
            rates.append(a.steps / (time.perf_counter() - t))
        rates.sort()
        print(json.dumps({
            "workload": name,
            "device": f"pytorch-cpu-{torch.get_num_threads()}t" if a.device == "cpu" else f"pytorch-{a.device}",
            "steps": a.steps, "repeats": a.repeats, "torch": torch.__version__,
            "steps_per_second_min": rates[0], "steps_per_second_median": rates[len(rates) // 2],
            "steps_per_second_max": rates[-1],
        }), flush=True)


if __name__ == "__main__":
    main()
