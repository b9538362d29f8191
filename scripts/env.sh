# Shared by scripts/run and scripts/test (sourced, not run): checks the toolchain and keeps
# cargo's build directory outside the clone, so a fresh clone (CI's) reuses the warm burn build
# instead of compiling it again (a cold burn build takes minutes on 2 cores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# cargo-installed tools (wasm-pack, wasm-bindgen, geckodriver) live here too.
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) [ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH" ;;
esac
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo not found. Install Rust 1.95 or newer with rustup (https://rustup.rs)." >&2
  exit 1
fi
need="1.95"
have=$(rustc --version | awk '{print $2}')
if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]; then
  echo "error: rustc $have is too old; burn 0.22.1 needs $need or newer (rustup update)." >&2
  exit 1
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gan-lab/target}"
