# Installs what the browser builds and tests need (sourced by scripts/test and scripts/page).
# Idempotent: each step checks first, so a warm machine spends seconds here.
# Versions are pinned where they must agree (Cargo.toml says which and why).
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=..."` pin in Cargo.toml
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
# Without --locked: with it, wasm-bindgen-cli's webpki-roots fails to resolve.
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
  || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
[ "$(wasm-pack --version 2>/dev/null)" = "wasm-pack $WASM_PACK_VERSION" ] \
  || cargo install wasm-pack --version "$WASM_PACK_VERSION"
geckodriver --version 2>/dev/null | head -n1 | grep -q "geckodriver $GECKODRIVER_VERSION" \
  || cargo install geckodriver --version "$GECKODRIVER_VERSION"

# Debian's browsers (never a test tool's downloaded one), lavapipe (Firefox's WebGPU adapter)
# and a CJK font, so the Chinese post's screenshots show characters, not boxes.
DEBS="chromium chromium-driver firefox-esr mesa-vulkan-drivers fonts-wqy-microhei"
if ! dpkg -s $DEBS >/dev/null 2>&1; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $DEBS
fi

# npm writes node_modules/.package-lock.json on install: newer than the lockfile means up to date.
[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
