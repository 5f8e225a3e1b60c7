# Shared by scripts/demo.sh and scripts/test-all.sh: make sure the tools exist on a fresh machine.
# Node 20 and npm are assumed; everything else is installed from the npm registry or Debian's packages.

PNPM_VERSION="12.21.0"

log() { printf '\033[1;36m[auralis]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = "0" ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1; then return; fi
  log "installing pnpm ${PNPM_VERSION} (npm i -g)"
  npm install -g "pnpm@${PNPM_VERSION}" >/dev/null 2>&1 || as_root npm install -g "pnpm@${PNPM_VERSION}" >/dev/null
}

APT_UPDATED=""
ensure_apt() { # ensure_apt <debian-package> <binary-to-check>
  local pkg="$1" bin="$2"
  if command -v "$bin" >/dev/null 2>&1 || [ -x "$bin" ]; then return; fi
  log "installing ${pkg} from Debian's packages"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$pkg" >/dev/null
}

install_deps() {
  log "installing npm dependencies (pnpm install --frozen-lockfile)"
  pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -vE '^\s*$|Progress' || true
  test -d node_modules/.pnpm || { echo "pnpm install failed" >&2; exit 1; }
}
