"""The digits DCGAN preset, played in PyTorch, judged by our own classifier.

Is the ~70% confident plateau of `gan train --preset digits-dcgan` (issue #17) ours or the
recipe's? This trains the same game in PyTorch: the same nets as scripts/bench/pytorch.py
(G: linear -> [64, 7, 7] -> BN -> ReLU -> convT -> [32, 14, 14] -> BN -> ReLU -> convT -> tanh;
D: two strided convs with leaky ReLU and a linear score), the same N(0, 0.02) init, Adam 2e-4
(0.5, 0.999), batch 64, non-saturating loss, on the shipped digits (assets/mnist), and scores
500 samples from fixed noise with the classifier the page uses (assets/classifier), as
`eval::digits` does: classes present and the fraction above 0.9 confidence.

  python3 scripts/bench/digits_reference.py [--steps 3000] [--log-every 250] [--seed 0]
      [--device cpu|cuda] [--width 32] [--lr 2e-4] [--batch 64] [--init dcgan|torch]
      [--d-norm] [--mnist assets/mnist]

Needs only torch (scripts/bench/native installs it into ~/.cache/gan-lab/bench-venv).
"""
import argparse, gzip, json, math, struct, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pytorch import BatchNorm, dcgan  # noqa: E402  the nets the speed benchmark plays

CONFIDENT = 0.9  # eval::digits::CONFIDENT


def idx(path):
    b = gzip.open(path).read()
    dims = b[3]
    shape = struct.unpack(">" + "I" * dims, b[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(b[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        s, e = info["data_offsets"]
        out[name] = torch.frombuffer(bytearray(b[8 + n + s:8 + n + e]), dtype=torch.float32).reshape(info["shape"])
    return out


def classifier(path):
    w = safetensors(path)  # burn's Linear weights are [in, out]

    def probs(x):
        for k in ("hidden.0", "hidden.1"):
            x = F.relu(x @ w[k + ".weight"] + w[k + ".bias"])
        return F.softmax(x @ w["output.weight"] + w["output.bias"], dim=1)
    return probs


def quality(p):
    top, cls = p.max(dim=1)
    sure = cls[top > CONFIDENT]
    counts = torch.bincount(sure, minlength=10).double()
    kl = float("nan")
    if len(sure):
        q = counts / counts.sum()
        kl = float(sum(v * math.log(v * 10) for v in q.tolist() if v > 0))
    return int((counts > 0).sum()), len(sure) / len(p), kl


def init(m):
    # The paper's N(0, 0.02) for every weight, zero biases, BN's gamma ~ N(1, 0.02) (src/model/dcgan.rs).
    for name, p in m.named_parameters():
        with torch.no_grad():
            if name.endswith("gamma"):
                p.normal_(1.0, 0.02)
            elif name.endswith("bias") or name.endswith("beta"):
                p.zero_()
            else:
                p.normal_(0.0, 0.02)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--log-every", type=int, default=250)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--width", type=int, default=32, help="G's and D's channels (the preset's 32)")
    ap.add_argument("--lr", type=float, default=2e-4, help="both nets' Adam rate")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--init", choices=["dcgan", "torch"], default="dcgan",
                    help="N(0, 0.02) as the preset, or PyTorch's default init")
    ap.add_argument("--d-norm", action="store_true", help="batch norm after D's second conv")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: its default)")
    ap.add_argument("--mnist", default="assets/mnist")
    ap.add_argument("--classifier", default="assets/classifier/digits-mlp.safetensors")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    if a.threads:
        torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    images = idx(f"{a.mnist}/train-images-idx3-ubyte.gz").reshape(-1, 784).float().div(127.5).sub(1).to(dev)
    judge = classifier(a.classifier)
    g, d = dcgan(64, a.width)
    if a.d_norm:  # [..., conv(c, 2c), leaky ReLU, ...] -> [..., conv, BN, leaky ReLU, ...]
        d.insert(4, BatchNorm(2 * a.width))
    if a.init == "dcgan":
        init(g), init(d)
    g, d = g.to(dev), d.to(dev)
    g_opt = torch.optim.Adam(g.parameters(), lr=a.lr, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), lr=a.lr, betas=(0.5, 0.999))
    fixed = torch.randn(500, 64).to(dev)
    t0 = time.time()
    for step in range(1, a.steps + 1):
        real = images[torch.randint(len(images), (a.batch,), device=dev)]
        with torch.no_grad():
            fake = g(torch.randn(a.batch, 64, device=dev))
        d_loss = F.softplus(-d(real)).mean() + F.softplus(d(fake)).mean()
        d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        d_opt.step()
        g_loss = F.softplus(-d(g(torch.randn(a.batch, 64, device=dev)))).mean()
        g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        g_opt.step()
        if step % a.log_every == 0 or step == a.steps:
            with torch.no_grad():
                classes, confident, kl = quality(judge(g(fixed).cpu()))
            print(f"step {step:6d}  d_loss {d_loss.item():7.4f}  g_loss {g_loss.item():7.4f}  "
                  f"classes {classes}/10  confident {100 * confident:5.1f}%  class KL {kl:.3f}  "
                  f"{time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
