#!/usr/bin/env bash
# Daily run verification: for each WORKFLOW_FILE:BRANCH, reads the latest run of that workflow on that
# branch and opens an issue when it failed (one open issue per workflow and branch, never a duplicate).
#
# Usage: .github/scripts/verify-runs.sh WORKFLOW_FILE:BRANCH...
# Environment: GH_TOKEN (actions read, issues write), GH_REPO (owner/name), DRY_RUN=1 to only report.
# Exit 0 checked (failures are reported as issues, not as a failed job), 1 API failure, 2 usage error.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: verify-runs.sh WORKFLOW_FILE:BRANCH..." >&2
    exit 2
fi
: "${GH_REPO:?GH_REPO must name the repository (owner/name)}"

failed=0
summary=""
for pair in "$@"; do
    if [[ "$pair" != *:* ]]; then
        echo "usage: '$pair' is not WORKFLOW_FILE:BRANCH" >&2
        exit 2
    fi
    file="${pair%%:*}"
    branch="${pair#*:}"
    # GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?branch=B: newest first
    line="$(gh api "repos/$GH_REPO/actions/workflows/$file/runs?branch=$branch&per_page=1&exclude_pull_requests=true" \
        --jq '.workflow_runs[0] // {} | [(.status // "none"), (.conclusion // "none"), (.html_url // ""), (.head_sha // "")] | @tsv')"
    IFS=$'\t' read -r status conclusion url sha <<<"$line"
    summary+="| $file | $branch | $status | $conclusion |"$'\n'
    case "$conclusion" in
        failure|timed_out|startup_failure|action_required) ;;
        *) echo "ok: $file on $branch: ${status}/${conclusion}"; continue ;;
    esac
    failed=$((failed + 1))
    title="Stage check failing: $file on $branch"
    echo "FAILED: $file on $branch: $conclusion $url"
    existing="$(gh api "repos/$GH_REPO/issues?state=open&per_page=100" \
        --jq ".[] | select(.pull_request == null) | select(.title == \"$title\") | .html_url" | head -n 1)"
    if [[ -n "$existing" ]]; then
        echo "  already reported: $existing"
        continue
    fi
    if [[ "${DRY_RUN:-0}" == "1" ]]; then
        echo "  dry run: would open issue '$title'"
        continue
    fi
    body="The latest run of \`$file\` on \`$branch\` ended with **$conclusion**."$'\n\n'"Run: $url"$'\n'"Commit: $sha"$'\n\n'"Opened by the daily-run-verification workflow; close it once the branch's workflow passes again."
    created="$(gh api "repos/$GH_REPO/issues" -f title="$title" -f body="$body" --jq '.html_url')"
    echo "  opened $created"
done

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    {
        echo "| workflow | branch | status | conclusion |"
        echo "| --- | --- | --- | --- |"
        printf '%s' "$summary"
    } >>"$GITHUB_STEP_SUMMARY"
fi
echo "verified $# workflow(s): $failed failing"
