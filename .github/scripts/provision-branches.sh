#!/usr/bin/env bash
# Creates the branches of the delivery model (BRANCHING.md) that do not exist yet, each at the head of
# the default branch. Existing branches are never moved. Idempotent.
#
# Usage: .github/scripts/provision-branches.sh [--dry-run] BRANCH...
# Environment: GH_TOKEN (contents write), GH_REPO (owner/name).
# Exit 0 done (or nothing to do), 1 API failure, 2 usage error.
set -euo pipefail

dry_run=0
if [[ "${1:-}" == "--dry-run" ]]; then dry_run=1; shift; fi
if [[ $# -eq 0 ]]; then
    echo "usage: provision-branches.sh [--dry-run] BRANCH..." >&2
    exit 2
fi
: "${GH_REPO:?GH_REPO must name the repository (owner/name)}"

default_branch="$(gh api "repos/$GH_REPO" --jq '.default_branch')"
head_sha="$(gh api "repos/$GH_REPO/git/ref/heads/$default_branch" --jq '.object.sha')"
existing="$(gh api "repos/$GH_REPO/branches?per_page=100" --paginate --jq '.[].name')"

created=0
for branch in "$@"; do
    if grep -qxF "$branch" <<<"$existing"; then
        echo "unchanged: $branch exists"
        continue
    fi
    if [[ $dry_run -eq 1 ]]; then
        echo "would create: $branch at $default_branch ($head_sha)"
        continue
    fi
    gh api "repos/$GH_REPO/git/refs" -f ref="refs/heads/$branch" -f sha="$head_sha" --jq '.ref' >/dev/null
    echo "created: $branch at $default_branch ($head_sha)"
    created=$((created + 1))
done
echo "branches: $created created, $# checked"
