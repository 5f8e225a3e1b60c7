#!/usr/bin/env bash
# Quick start, command 1: install what is needed, build, and run the demo server.
# PORT (default 8080) and HOST (default 127.0.0.1) choose where it listens.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh
ensure_pnpm
install_deps
log "building the demo server and everything it uses"
pnpm exec turbo run build --filter=@auralis/demo-server... --output-logs=errors-only
exec node apps/demo-server/dist/main.js
