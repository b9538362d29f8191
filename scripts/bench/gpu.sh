#!/usr/bin/env bash
# burn's wgpu backend on a real GPU, with each step recorded once and replayed and without,
# against burn's CPU backend: `gan bench` for ring8, mnist-mlp and digits-dcgan, steps/s and the
# host's time per step, then the replayed run checked against the unbroken one. Made to fit in a
# few minutes on a lent GPU machine, which has no network: build here, carry the binaries.
#   scripts/bench/gpu.sh build            # here: builds target-gpu/{gan,replay-test}
#   scripts/bench/gpu.sh run [--steps N]  # there: runs them (needs a Vulkan driver)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target-gpu
case "${1:-}" in
  build)
    source scripts/env.sh
    cargo build --release --bin gan --features wgpu
    test=$(cargo test --release --features wgpu,test-hooks --test replay --no-run --message-format=json 2>/dev/null \
      | sed -n 's/.*"executable":"\([^"]*replay-[^"]*\)".*/\1/p' | tail -n 1)
    mkdir -p "$OUT"
    cp "$CARGO_TARGET_DIR/release/gan" "$OUT/gan"
    cp "$test" "$OUT/replay-test"
    ls -l "$OUT" ;;
  run)
    shift
    STEPS=200
    [ "${1:-}" = "--steps" ] && STEPS=$2
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true
    echo "CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
    "$OUT/gan" bench --device flex,wgpu --replay off,on --steps "$STEPS" --repeats 3 \
      --workload ring8,mnist-mlp,digits-dcgan
    "$OUT/replay-test" --test-threads 1 --nocapture ;;
  *) echo "usage: scripts/bench/gpu.sh build | run [--steps N]" >&2; exit 2 ;;
esac
