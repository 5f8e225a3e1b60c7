#!/usr/bin/env bash
# Quick start, command 2: install what is needed and run every test — unit and property tests, browser tests in
# headless Chromium, typecheck, package checks (publint, arethetypeswrong) and the API docs build — then print
# one summary. Exit code 0 only when everything passed. `.ci/run` calls exactly this.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh
RESULTS=.test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
find packages apps -maxdepth 2 -name .vitest-result.json -delete 2>/dev/null

step() { # step <name> <command...>: run a step, record its status for the summary
  local name="$1"; shift
  log "── ${name}"
  local t0=$SECONDS
  if "$@"; then echo -e "${name}\tpassed\t$((SECONDS - t0))" >> "$RESULTS/steps.tsv"
  else echo -e "${name}\tfailed\t$((SECONDS - t0))" >> "$RESULTS/steps.tsv"; fi
}

ensure_pnpm
ensure_apt chromium /usr/bin/chromium          # browser tests (and its SwiftShader Vulkan driver for WebGPU tests)
ensure_apt redis-server redis-server            # the Redis replay store and scale-out tests start their own
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}"
# WebGPU kernels are checked on Chromium's SwiftShader Vulkan driver (Debian's lavapipe gives no adapter), and a
# missing adapter fails the run instead of skipping the parity tests.
for icd in /usr/lib/chromium/vk_swiftshader_icd.json /usr/lib/*/chromium/vk_swiftshader_icd.json; do
  if [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$icd" ]; then export VK_ICD_FILENAMES="$icd"; fi
done
export AURALIS_REQUIRE_WEBGPU=1
install_deps

step "build" pnpm exec turbo run build --output-logs=errors-only
if grep -q $'^build\tfailed' "$RESULTS/steps.tsv"; then node scripts/summary.mjs; exit 1; fi
step "typecheck" pnpm exec turbo run typecheck --continue --output-logs=errors-only
step "tests" pnpm exec turbo run test --continue --concurrency=1
step "package checks" node scripts/check-packages.mjs
step "api docs" pnpm exec typedoc --logLevel Warn
node scripts/summary.mjs
