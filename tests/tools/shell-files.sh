#!/usr/bin/env bash
# Lists every shell file of the repository (tracked or new, not ignored): *.sh, *.bash, *.bats, and
# files without an extension whose first line is a sh/bash/bats shebang (tests/run, .ci/run, fakes).
# Usage: tests/tools/shell-files.sh [-z]     (-z: NUL-separated, for xargs -0)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
nul=0
if [[ "${1:-}" == "-z" ]]; then nul=1; fi
emit() { if [[ $nul -eq 1 ]]; then printf '%s\0' "$1"; else printf '%s\n' "$1"; fi; }
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [[ -f "$f" ]] || continue
    case "$f" in
        */node_modules/*|target/*) continue ;;
        *.sh|*.bash|*.bats) emit "$f" ;;
        */*.*|*.*) ;;
        *)
            if head -n 1 "$f" 2>/dev/null | grep -qE '^#!.*[/ ](ba|da)?sh( |$)|^#!.*/env (bash|sh|bats)'; then
                emit "$f"
            fi ;;
    esac
done
