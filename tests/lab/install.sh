#!/usr/bin/env bash
# Installs everything the Docker test lab (tests/lab/lab.sh) needs, idempotently, on Debian 12.
#
#   tests/lab/install.sh [--refresh] [--dry-run]
#
#   --refresh   fetch docker-buildx and the foreign busybox binaries again even when present
#   --dry-run   print what would be done, change nothing
#
# 1. Debian packages (bookworm, the system's own apt sources): apt is skipped entirely when all are
#    installed. Services are not started by the install (a temporary policy-rc.d denies it): the lab
#    runs its own daemons.
# 2. docker-buildx 0.13 from Debian trixie, fetched with a PRIVATE apt state (the system's sources
#    and lists are never touched), installed system-wide as a docker CLI plugin:
#    /usr/local/lib/docker/cli-plugins/docker-buildx (found by every docker CLI, whatever HOME is).
# 3. busybox-static for arm64 and armhf, fetched the same way, unpacked to
#    $N0D3_LAB_CACHE/busybox/{amd64,arm64,armv7}/busybox (amd64 is copied from the installed package),
#    plus $N0D3_LAB_CACHE/busybox/amd64/rootfs.tar, a minimal root file system for `docker import`.
#
# Environment: N0D3_LAB_CACHE (default /var/cache/n0d3-lab), N0D3_LAB_DEBIAN_MIRROR
# (default: the first deb.debian.org-style URI of the system's sources, else http://deb.debian.org/debian).
# Exit codes: 0 ok, 1 a download or install failed, 2 usage, 3 not root / not Debian.
set -euo pipefail

PROG="tests/lab/install.sh"
CACHE="${N0D3_LAB_CACHE:-/var/cache/n0d3-lab}"
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
PACKAGES=(docker.io docker-registry qemu-user-static iproute2 iptables bats prometheus busybox-static jq curl util-linux debian-archive-keyring zsh strace systemd)
REFRESH=0
DRY=0

say() { printf '%s: %s\n' "$PROG" "$*"; }
die() { local code=$1; shift; printf '%s: error: %s\n' "$PROG" "$*" >&2; exit "$code"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --refresh) REFRESH=1 ;;
    --dry-run) DRY=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die 2 "unknown option '$1' (expected --refresh, --dry-run or --help)" ;;
  esac
  shift
done

[ "$(id -u)" = 0 ] || die 3 "must run as root (it installs packages and a system-wide docker CLI plugin)"
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  die 3 "this is not a Debian system (no dpkg/apt-get)"
fi

run() {
  if [ "$DRY" = 1 ]; then say "would run: $*"; else "$@"; fi
}

# ---------------------------------------------------------------- 1. Debian packages
missing=()
for p in "${PACKAGES[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [ "${st:0:2}" = "ii" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "packages: all ${#PACKAGES[@]} present (${PACKAGES[*]}), apt skipped"
else
  say "packages: installing ${missing[*]}"
  if [ "$DRY" = 0 ]; then
    # keep the packages' services from starting: the lab runs its own dockerd, registry, ...
    policy_added=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\n# added by %s during the lab install; removed when it ends\nexit 101\n' "$PROG" >/usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
      policy_added=1
    fi
    trap '[ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q || die 1 "apt-get update failed"
    apt-get install -y -q --no-install-recommends "${missing[@]}" || die 1 "apt-get install ${missing[*]} failed"
    [ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d
    policy_added=0
  fi
fi

# ---------------------------------------------------------------- private apt state
mirror() {
  if [ -n "${N0D3_LAB_DEBIAN_MIRROR:-}" ]; then echo "$N0D3_LAB_DEBIAN_MIRROR"; return; fi
  local u
  u=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)
  echo "${u:-http://deb.debian.org/debian}"
}

# fetch_deb SUITE ARCH PACKAGE DEST_DIR: downloads PACKAGE_*.deb for ARCH from SUITE into DEST_DIR and
# unpacks it to DEST_DIR/x, with apt state under $CACHE/apt/SUITE-ARCH only.
fetch_deb() {
  local suite=$1 arch=$2 pkg=$3 dest=$4
  local T="$CACHE/apt/$suite-$arch"
  mkdir -p "$T/lists/partial" "$T/archives/partial" "$dest"
  printf 'deb [arch=%s signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$arch" "$(mirror)" "$suite" >"$T/sources.list"
  local O=(-o "Dir::Etc::SourceList=$T/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o "Dir::State::Lists=$T/lists" -o "Dir::Cache::Archives=$T/archives"
           -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o APT::Sandbox::User=root -q)
  say "fetching $pkg:$arch from Debian $suite ($(mirror)) with a private apt state in $T"
  apt-get "${O[@]}" update >"$T/update.log" 2>&1 || { cat "$T/update.log" >&2; die 1 "apt-get update for $suite/$arch failed"; }
  rm -f "$dest"/*.deb
  (cd "$dest" && apt-get "${O[@]}" download "$pkg:$arch") >"$T/download.log" 2>&1 \
    || { cat "$T/download.log" >&2; die 1 "apt-get download $pkg:$arch from $suite failed"; }
  rm -rf "$dest/x"
  dpkg -x "$dest"/"${pkg}"_*.deb "$dest/x"
}

# ---------------------------------------------------------------- 2. buildx plugin
plugin="$PLUGIN_DIR/docker-buildx"
if [ -x "$plugin" ] && [ "$REFRESH" = 0 ]; then
  say "buildx: $plugin present ($("$plugin" version 2>/dev/null | head -n1)), nothing to do"
elif [ "$DRY" = 1 ]; then
  say "would fetch docker-buildx from Debian trixie and install it to $plugin"
else
  work="$CACHE/deb/docker-buildx"
  fetch_deb trixie amd64 docker-buildx "$work"
  install -D -m 755 "$work/x/usr/libexec/docker/cli-plugins/docker-buildx" "$plugin"
  say "buildx: installed $plugin ($("$plugin" version | head -n1))"
fi

# ---------------------------------------------------------------- 3. busybox for three architectures
bb="$CACHE/busybox"
if [ "$DRY" = 1 ]; then
  say "would place static busybox binaries in $bb/{amd64,arm64,armv7}/busybox and $bb/amd64/rootfs.tar"
else
  mkdir -p "$bb/amd64"
  if [ ! -x "$bb/amd64/busybox" ] || [ "$REFRESH" = 1 ] || ! cmp -s /bin/busybox "$bb/amd64/busybox"; then
    install -m 755 /bin/busybox "$bb/amd64/busybox"
    say "busybox amd64: copied /bin/busybox to $bb/amd64/busybox"
  else
    say "busybox amd64: present, nothing to do"
  fi
  for pair in arm64:arm64 armhf:armv7; do
    debarch=${pair%%:*} dir=${pair##*:}
    if [ -x "$bb/$dir/busybox" ] && [ "$REFRESH" = 0 ]; then
      say "busybox $dir: present, nothing to do"
      continue
    fi
    work="$CACHE/deb/busybox-static-$debarch"
    fetch_deb bookworm "$debarch" busybox-static "$work"
    install -D -m 755 "$work/x/bin/busybox" "$bb/$dir/busybox"
    case "$(od -An -tx1 -j18 -N2 "$bb/$dir/busybox" | tr -d ' ')" in  # ELF e_machine
      b700) m=aarch64 ;; 2800) m=arm ;; *) m=unexpected ;;
    esac
    [ "$m" != unexpected ] || die 1 "$bb/$dir/busybox is not an arm64/arm ELF binary"
    say "busybox $dir: installed $bb/$dir/busybox (ELF machine $m)"
  done
  # A minimal root file system for `docker import`: /bin/busybox and one symlink per applet.
  if [ ! -s "$bb/amd64/rootfs.tar" ] || [ "$REFRESH" = 1 ] || [ "$bb/amd64/busybox" -nt "$bb/amd64/rootfs.tar" ]; then
    r=$(mktemp -d)
    mkdir -p "$r/bin" "$r/tmp" "$r/etc" "$r/proc" "$r/sys" "$r/dev"
    cp "$bb/amd64/busybox" "$r/bin/busybox"
    for a in $("$bb/amd64/busybox" --list); do [ "$a" = busybox ] || ln -s /bin/busybox "$r/bin/$a"; done
    echo 'root:x:0:0:root:/:/bin/sh' >"$r/etc/passwd"
    echo 'root:x:0:' >"$r/etc/group"
    tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$bb/amd64/rootfs.tar.tmp" .
    mv "$bb/amd64/rootfs.tar.tmp" "$bb/amd64/rootfs.tar"
    rm -rf "$r"
    say "busybox rootfs: wrote $bb/amd64/rootfs.tar"
  else
    say "busybox rootfs: $bb/amd64/rootfs.tar present, nothing to do"
  fi
fi

# ---------------------------------------------------------------- summary
if [ "$DRY" = 0 ]; then
  say "docker CLI on PATH: $(command -v docker) ($(docker --version 2>/dev/null || echo '?')); dockerd: $(dockerd --version 2>/dev/null || echo missing)"
  say "done"
fi
