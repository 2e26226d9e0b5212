#!/usr/bin/env bash
# Opens a promotion pull request SOURCE -> TARGET when SOURCE has commits TARGET lacks and no such
# pull request is open yet. Run by the promote-*.yml workflows after SOURCE's own workflow succeeded.
#
# Usage: .github/scripts/promote.sh SOURCE TARGET
# Environment: GH_TOKEN (the workflow's GITHUB_TOKEN: contents read, pull-requests write),
#   GH_REPO (owner/name), optional SOURCE_SHA and RUN_URL (the run that passed, for the PR body).
# Exit 0 PR opened or nothing to do (says which), 1 API failure or missing branch, 2 usage error.
set -euo pipefail

if [[ $# -ne 2 || -z "$1" || -z "$2" ]]; then
    echo "usage: promote.sh SOURCE TARGET" >&2
    exit 2
fi
source_branch="$1"
target_branch="$2"
: "${GH_REPO:?GH_REPO must name the repository (owner/name)}"

errfile="$(mktemp)"
trap 'rm -f "$errfile"' EXIT

# GET /repos/{owner}/{repo}/compare/{base}...{head}: ahead_by = commits in head that base lacks
if ! ahead="$(gh api "repos/$GH_REPO/compare/$target_branch...$source_branch" --jq '.ahead_by' 2>"$errfile")"; then
    if grep -q 'HTTP 404' "$errfile"; then
        echo "::error::cannot compare $target_branch...$source_branch in $GH_REPO: a branch is missing (create it, or run the initial-provision workflow)"
    else
        echo "::error::cannot compare $target_branch...$source_branch: $(head -n 1 "$errfile")"
    fi
    exit 1
fi
if [[ ! "$ahead" =~ ^[0-9]+$ ]]; then
    echo "::error::unexpected compare answer for $target_branch...$source_branch: '$ahead'"
    exit 1
fi
if [[ "$ahead" -eq 0 ]]; then
    echo "nothing to promote: $source_branch has no commit that $target_branch lacks"
    exit 0
fi

open_pr="$(gh pr list --repo "$GH_REPO" --base "$target_branch" --head "$source_branch" --state open \
    --json number,url --jq '.[0].url // ""')"
if [[ -n "$open_pr" ]]; then
    echo "promotion already open: $open_pr ($source_branch is $ahead commit(s) ahead of $target_branch)"
    exit 0
fi

body="Automatic promotion of \`$source_branch\` into \`$target_branch\`: $ahead commit(s) ahead."
if [[ -n "${SOURCE_SHA:-}" ]]; then body+=$'\n\n'"Checked commit: $SOURCE_SHA"; fi
if [[ -n "${RUN_URL:-}" ]]; then body+=$'\n'"Passing run: $RUN_URL"; fi
body+=$'\n\n'"Opened by .github/scripts/promote.sh. Workflows do not run on pull requests opened with GITHUB_TOKEN: the source branch's own run above is the check."

url="$(gh pr create --repo "$GH_REPO" --base "$target_branch" --head "$source_branch" \
    --title "Promote $source_branch to $target_branch" --body "$body")"
echo "opened $url ($source_branch is $ahead commit(s) ahead of $target_branch)"
