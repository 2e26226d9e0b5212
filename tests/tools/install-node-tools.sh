#!/usr/bin/env bash
# Installs the Node tools the test suite runs into tests/tools/node/node_modules, exactly as
# pinned by tests/tools/node/package-lock.json (npm ci). .ci/run calls it before the tests;
# developers run it once. Idempotent: when the installed tree was made from the same lock
# file, nothing is done. Needs node >= 20 and npm (the npm registry only).
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/node"
lock="$dir/package-lock.json"
stamp="$dir/node_modules/.n0d3-lock.sha256"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-node-tools: node and npm are needed (Node.js 20 or later)" >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "install-node-tools: Node.js $(node --version) is too old: 20 or later is needed" >&2
  exit 1
fi

want="$(sha256sum "$lock" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$dir/node_modules/.bin/markdownlint-cli2" ]; then
  echo "install-node-tools: up to date ($dir/node_modules)"
  exit 0
fi

npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "install-node-tools: installed $(cd "$dir" && node -p 'Object.keys(require("./package.json").devDependencies).map(n => n + "@" + require("./node_modules/" + n + "/package.json").version).join(" ")') in $dir/node_modules"
