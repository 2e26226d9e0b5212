#!/usr/bin/env bash
# A Java 17 runtime root file system assembled from Debian bookworm's own packages, for building the
# project's node image (Dockerfile, ARG JRE_IMAGE) in the lab, where no registry serves base images.
#
# usage: tests/lab/jre-rootfs.sh [--refresh] ARCH...      ARCH: amd64 | arm64 | armhf
#
# For each ARCH it writes $N0D3_LAB_CACHE/jre17/ARCH/rootfs.tar (default cache /var/cache/n0d3-lab) and
# prints its path. How: apt-get computes and downloads the dependency closure of openjdk-17-jre-headless,
# bash, dash and coreutils for that architecture with a PRIVATE apt state and an EMPTY dpkg status (the
# system's sources, lists and dpkg database are not touched), then every .deb is unpacked with dpkg -x.
# Maintainer scripts do not run (they would need the target architecture), so the script does by hand
# the little they do that a JRE needs: the /usr/bin/java link (update-alternatives), /bin/sh, and
# /etc/passwd and /etc/group for root (base-passwd). Documentation, manual pages and locales are left out.
# Present and not --refresh: nothing is fetched, the path is printed again.
# Exit codes: 0 ok, 1 fetch or unpack failed, 2 usage, 3 not root or tools missing.
set -euo pipefail

PROG=jre-rootfs.sh
CACHE="${N0D3_LAB_CACHE:-/var/cache/n0d3-lab}"
MIRROR="${N0D3_LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=(openjdk-17-jre-headless bash dash coreutils)

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { local c=$1; shift; printf '%s: error: %s\n' "$PROG" "$*" >&2; exit "$c"; }

refresh=0
archs=()
for a in "$@"; do
  case "$a" in
    --refresh) refresh=1 ;;
    amd64|arm64|armhf) archs+=("$a") ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die 2 "unknown argument '$a': expected amd64, arm64 or armhf (and --refresh)" ;;
  esac
done
[ ${#archs[@]} -gt 0 ] || die 2 "no architecture given: expected amd64, arm64 or armhf"
[ "$(id -u)" = 0 ] || die 3 "not root (dpkg -x must keep file ownership)"
for c in apt-get dpkg tar; do command -v "$c" >/dev/null || die 3 "missing command: $c"; done
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || die 3 "missing /usr/share/keyrings/debian-archive-keyring.gpg (debian-archive-keyring)"

build() { # ARCH
  local arch=$1 dir="$CACHE/jre17/$1"
  local out="$dir/rootfs.tar"
  if [ -s "$out" ] && [ "$refresh" = 0 ]; then
    say "$arch: $out present, nothing to do"
    echo "$out"
    return 0
  fi
  local T="$CACHE/apt/jre17-$arch"
  mkdir -p "$T/lists/partial" "$T/archives/partial" "$dir"
  : >"$T/status"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR bookworm main" >"$T/sources.list"
  local O=(-o "Dir::Etc::SourceList=$T/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$T/lists"
           -o "Dir::Cache::Archives=$T/archives" -o "Dir::State::status=$T/status" -o "APT::Architecture=$arch"
           -o "APT::Architectures=$arch" -o Debug::NoLocking=1 -o APT::Install-Recommends=false -o APT::Sandbox::User=root)
  say "$arch: resolving and downloading ${PACKAGES[*]} with their dependencies (private apt state $T)"
  apt-get "${O[@]}" -qq update || die 1 "$arch: apt-get update failed"
  rm -f "$T/archives/"*.deb
  apt-get "${O[@]}" -qq install --download-only -y "${PACKAGES[@]}" >/dev/null || die 1 "$arch: apt-get download failed"
  local root="$dir/rootfs.tmp"
  rm -rf "$root"
  mkdir -p "$root"
  local n=0 deb
  for deb in "$T/archives/"*.deb; do
    dpkg -x "$deb" "$root" || die 1 "$arch: dpkg -x $deb failed"
    n=$((n + 1))
  done
  local jvm="" j
  for j in "$root"/usr/lib/jvm/java-17-openjdk-*; do [ -d "$j" ] && jvm=${j##*/}; done
  [ -x "$root/usr/lib/jvm/$jvm/bin/java" ] || die 1 "$arch: no java in $root/usr/lib/jvm/$jvm/bin"
  ln -sfn "../lib/jvm/$jvm/bin/java" "$root/usr/bin/java"
  ln -sfn dash "$root/bin/sh"
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/locale"
  tar -C "$root" --numeric-owner -cf "$out.tmp" . || die 1 "$arch: tar failed"
  mv "$out.tmp" "$out"
  rm -rf "$root" "$T/archives/"*.deb
  say "$arch: $n packages unpacked, java at /usr/lib/jvm/$jvm/bin/java, wrote $out ($(du -h "$out" | cut -f1))"
  echo "$out"
}

for a in "${archs[@]}"; do build "$a"; done
