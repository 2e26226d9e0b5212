#!/usr/bin/env bash
# Checks the spec-kit documents under .specify/ for the sections each must have.
#
# Usage: tests/tools/check-speckit.sh [--root DIR] spec|plan|all
#   spec  .specify/constitution.md and .specify/spec.md
#   plan  .specify/plan.md and .specify/tasks/SOP-001..008
#   all   both
# A required section is a level-2 heading ("## ...") matching one of the alternatives below (case
# insensitive), with at least one non-blank line of its own before the next heading of level 1 or 2.
# Prints FILE:LINE: message per problem; exit 0 all present, 1 problems, 2 usage error.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mode=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --root) root="${2:?--root needs a directory}"; shift 2 ;;
        spec|plan|all) mode="$1"; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "error: unknown argument '$1': expected --root DIR and one of spec, plan, all" >&2; exit 2 ;;
    esac
done
[[ -n "$mode" ]] || { echo "error: expected one of spec, plan, all" >&2; exit 2; }
[[ -d "$root" ]] || { echo "error: --root: $root is not a directory" >&2; exit 2; }

problems=0
report() { echo "$1"; problems=$((problems + 1)); }

# check_sections FILE "alt1|alt2" ...  (each argument: one required section, as an ERE on the heading text)
check_sections() {
    local file="$1"; shift
    local rel="${file#"$root"/}"
    if [[ ! -f "$file" ]]; then
        report "$rel:0: missing file"
        return
    fi
    if ! grep -qE '^# [^ ]' "$file"; then
        report "$rel:1: no level-1 title ('# ...')"
    fi
    local want
    for want in "$@"; do
        # awk prints "LINE CONTENT_LINES" of the first matching level-2 heading, nothing when absent
        local hit
        hit="$(awk -v re="$want" '
            BEGIN { found = 0; fence = 0 }
            /^```/ { fence = !fence }
            !fence && /^##? / {
                if (found == 1) { print line, n; found = 2; exit }
                if ($0 ~ /^## / && tolower(substr($0, 4)) ~ tolower(re)) { found = 1; line = NR; n = 0; next }
            }
            found == 1 && NF > 0 { n++ }
            END { if (found == 1) print line, n }
        ' "$file")"
        if [[ -z "$hit" ]]; then
            report "$rel:0: missing section '## ${want//|/ or }'"
        elif [[ "${hit#* }" == "0" ]]; then
            report "$rel:${hit%% *}: section '${want//|/ or }' is empty"
        fi
    done
}

check_spec() {
    check_sections "$root/.specify/constitution.md" "principles" "governance"
    check_sections "$root/.specify/spec.md" "overview|summary|purpose" "user (scenarios|stories)|scenarios" \
        "requirements" "success criteria|acceptance"
}

# SOP number -> words its title must contain (the SOP list of the project brief)
sop_titles=(
    "" "node deployment" "swarm join" "network configuration" "telemetry setup"
    "troubleshooting" "security hardening" "update" "disaster recovery"
)

check_plan() {
    local plan="$root/.specify/plan.md"
    check_sections "$plan" "summary|overview" "technical context|architecture" "phases?|status"
    if [[ -f "$plan" ]]; then
        if ! grep -qiE '(^|[^a-z])(done|in progress|planned|not started|blocked)([^a-z]|$)' "$plan"; then
            report "${plan#"$root"/}:0: no phase status (done, in progress, planned, not started or blocked)"
        fi
    fi
    local n file
    for n in 1 2 3 4 5 6 7 8; do
        file="$(find "$root/.specify/tasks" -maxdepth 1 -name "SOP-00$n-*.md" 2>/dev/null | sort | head -n 1)"
        if [[ -z "$file" ]]; then
            report ".specify/tasks/SOP-00$n-*.md:0: missing SOP-00$n (${sop_titles[$n]})"
            continue
        fi
        if [[ "$(grep -cE '^## ' "$file")" -lt 2 ]]; then
            report "${file#"$root"/}:0: an SOP has at least two sections (## ...)"
        fi
        if ! grep -m1 -E '^# ' "$file" | grep -qiF "${sop_titles[$n]}"; then
            report "${file#"$root"/}:1: title must name '${sop_titles[$n]}'"
        fi
        if ! grep -qE '^```' "$file"; then
            report "${file#"$root"/}:0: no command block (\`\`\`): an SOP shows the real commands"
        fi
    done
}

case "$mode" in
    spec) check_spec ;;
    plan) check_plan ;;
    all) check_spec; check_plan ;;
esac

if [[ $problems -gt 0 ]]; then
    echo "spec-kit: $problems problem(s)" >&2
    exit 1
fi
echo "spec-kit ($mode): all required sections present" >&2
