# Installs what building the page needs (sourced by scripts/build, scripts/page and scripts/test),
# all as the user, no root: the wasm target, wasm-bindgen-cli, wasm-pack and the npm packages.
# Idempotent: each step checks first, so a warm machine spends seconds here. The browsers the
# tests drive are installed by scripts/install-test.sh, for scripts/test only.
# Versions are pinned where they must agree (Cargo.toml says which and why).
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=..."` pin in Cargo.toml
WASM_PACK_VERSION=0.15.1

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
# Without --locked: with it, wasm-bindgen-cli's webpki-roots fails to resolve.
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
  || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
[ "$(wasm-pack --version 2>/dev/null)" = "wasm-pack $WASM_PACK_VERSION" ] \
  || cargo install wasm-pack --version "$WASM_PACK_VERSION"

# npm writes node_modules/.package-lock.json on install: newer than the lockfile means up to date.
[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
