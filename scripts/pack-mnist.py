#!/usr/bin/env python3
"""Packs the MNIST subset the page ships, from a folder holding the full MNIST.

    python3 scripts/pack-mnist.py --source DIR    # DIR: MNIST's four original .gz files
    python3 scripts/pack-mnist.py --check         # verify assets/mnist; needs no source

What it writes to assets/mnist/ (IDX files, gzip-compressed, as MNIST itself is distributed):
- train-images-idx3-ubyte.gz / train-labels-idx1-ubyte.gz: 10,000 training digits, the first
  1,000 of each class in MNIST's training order. Balanced, so a mode-collapse metric has a
  uniform target; 10,000 is a sixth of MNIST, ~1.6 MB compressed, and is what small GANs are
  often trained on without visible loss of quality at the page's ~10k steps (an epoch is 156
  batches of 64, so each digit is seen dozens of times either way).
- test-images-idx3-ubyte.gz / test-labels-idx1-ubyte.gz: 1,000 held-out digits, the first 100
  of each class of MNIST's test set, for the digit classifier's accuracy.
- SHA256SUMS: sha256 of each file's uncompressed bytes (gzip output varies between builds),
  checked by the Rust tests and by `--check`.

The source files are verified against the hashes in the source README before use.
MNIST: Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0 (see assets/mnist/README.md).
"""
import argparse
import gzip
import hashlib
import pathlib
import struct
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "mnist"
SOURCE_SHA256 = {
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
PER_CLASS = {"train": 1000, "test": 100}


def read(source, name):
    data = gzip.decompress((source / name).read_bytes())
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256[name]:
        sys.exit(f"{name}: sha256 {digest} does not match the source README's {SOURCE_SHA256[name]}")
    return data


def subset(images, labels, per_class):
    magic, n, rows, cols = struct.unpack(">IIII", images[:16])
    assert magic == 0x803 and (rows, cols) == (28, 28), "not an MNIST image file"
    assert struct.unpack(">II", labels[:8]) == (0x801, n), "labels do not match the images"
    size = rows * cols
    taken = {d: 0 for d in range(10)}
    picked = []
    for k in range(n):
        label = labels[8 + k]
        if taken[label] < per_class:
            taken[label] += 1
            picked.append(k)
    out_images = struct.pack(">IIII", 0x803, len(picked), rows, cols) + b"".join(
        images[16 + k * size: 16 + (k + 1) * size] for k in picked)
    out_labels = struct.pack(">II", 0x801, len(picked)) + bytes(labels[8 + k] for k in picked)
    return out_images, out_labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=pathlib.Path,
                    help="a folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                         "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz")
    ap.add_argument("--check", action="store_true", help="only verify assets/mnist against SHA256SUMS")
    a = ap.parse_args()
    if a.check:
        bad = 0
        for line in (OUT / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split()
            got = hashlib.sha256(gzip.decompress((OUT / name).read_bytes())).hexdigest()
            print(f"{name}: {'ok' if got == digest else 'MISMATCH'}")
            bad += got != digest
        sys.exit(1 if bad else 0)
    if a.source is None:
        ap.error("--source DIR is needed to pack (MNIST's four original .gz files)")
    sums = []
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read(a.source, f"{prefix}-images-idx3-ubyte.gz")
        labels = read(a.source, f"{prefix}-labels-idx1-ubyte.gz")
        for kind, data in zip(("images-idx3", "labels-idx1"), subset(images, labels, PER_CLASS[split])):
            name = f"{split}-{kind}-ubyte.gz"
            # mtime 0: the same bytes in, the same file out (on one zlib build).
            (OUT / name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
            print(f"{name}: {len(data):,} bytes, {(OUT / name).stat().st_size:,} compressed")
    (OUT / "SHA256SUMS").write_text("\n".join(sums) + "\n")


if __name__ == "__main__":
    main()
