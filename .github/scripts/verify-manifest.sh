#!/usr/bin/env bash
# Checks that a multi-arch image index (OCI image index or Docker manifest list, read on stdin as the
# registry serves it) lists exactly the expected platforms. Attestation entries (platform
# unknown/unknown) are ignored.
#
# Usage: curl ... /v2/NAME/manifests/TAG | .github/scripts/verify-manifest.sh linux/amd64 linux/arm64 linux/arm/v7
# Exit 0 match, 1 mismatch or not an index, 2 usage error.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: verify-manifest.sh PLATFORM... (manifest JSON on stdin)" >&2
    exit 2
fi
manifest="$(cat)"
media="$(jq -r '.mediaType // ""' <<<"$manifest" 2>/dev/null || true)"
case "$media" in
    application/vnd.oci.image.index.v1+json|application/vnd.docker.distribution.manifest.list.v2+json) ;;
    *)
        if ! jq -e '.manifests | type == "array"' >/dev/null 2>&1 <<<"$manifest"; then
            echo "error: not a multi-arch index (mediaType '${media:-none}')" >&2
            exit 1
        fi ;;
esac
got="$(jq -r '[.manifests[].platform | select(.os != "unknown")
    | "\(.os)/\(.architecture)\(if .variant then "/" + .variant else "" end)"] | sort | join(" ")' <<<"$manifest")"
want="$(printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//')"
if [[ "$got" != "$want" ]]; then
    echo "error: the index lists [$got], expected [$want]" >&2
    exit 1
fi
echo "ok: the index lists exactly [$got]"
