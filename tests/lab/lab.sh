#!/usr/bin/env bash
# The project's Docker test lab: N real dockerd "hosts" on one machine, each in its own network and
# UTS namespace, on one bridge; optionally a loopback registry, QEMU binfmt for arm64/armv7 and one
# dockerd in the root namespace for buildx. See tests/lab/README.md for the whole interface.
#
# usage: tests/lab/lab.sh COMMAND [OPTIONS]
#
#   up (--id ID | --id-from N) --nodes N [--registry] [--binfmt] [--host-daemon] [--busybox]
#        [--dockerd-host [K=]URL]... [--owner PID] [--timeout SECONDS]
#                     start lab ID (or the first free id >= N, wrapping in 20..200) with N nodes;
#                     progress on stderr, then the `env` lines on stdout. Re-running with the same
#                     options while it is up changes nothing and says so. --dockerd-host adds one
#                     more `-H URL` (tcp://HOST:PORT or unix:///PATH) to node K's dockerd (to every
#                     node's without K=), e.g. 2=tcp://0.0.0.0:2375 for an Engine API without TLS
#   down (--id ID | --all | --stale)
#                     tear down lab ID / every lab / every lab whose owner process is gone;
#                     exit 1 if anything is left behind
#   status --id ID    one line per daemon, registry; exit 0 all healthy, 1 something down, 3 not up
#   env --id ID       KEY=VALUE lines (shell-quoted) for `eval`: sockets, IPs, registry, ...
#   exec --id ID --node K|host [--] CMD...
#                     run CMD in node K's network AND uts namespaces with DOCKER_HOST set to node K's
#                     daemon (--node host: root namespace, DOCKER_HOST = the host daemon)
#   check-clean --id ID | --all
#                     exit 1 listing every leftover process, mount, namespace, link, iptables rule, dir
#   doctor [--registry] [--binfmt] [--host-daemon] [--busybox] [--dockerd-host X]
#                     exit 0 when this machine can run such a lab, else 3 with the reasons
#
# Conventions for lab ID (1..200): bridge n0d3b<ID> 10.213.<ID>.1/24; node k: netns n0d3-<ID>-<k>,
# address 10.213.<ID>.(10+k), hostname node<k>, state /tmp/n0d3-lab-<ID>/node<k>/{docker.sock,data,
# exec,pid,log,uts}; registry 127.0.0.1:(5000+ID); host daemon /tmp/n0d3-lab-<ID>/host/docker.sock.
# Exit codes: 0 ok, 1 operational failure, 2 usage, 3 unexpected host state (not root, missing
# packages, id in use by a live owner).
set -uo pipefail

PROG=lab.sh
API=v1.41
CACHE="${N0D3_LAB_CACHE:-/var/cache/n0d3-lab}"
BUSYBOX_IMAGE="n0d3-lab/busybox:latest"
LOCK_DIR=/run/lock/n0d3-lab
NETNS_DIR=/run/netns
AUTO_MIN=20
AUTO_MAX=200
MAX_NODES=20

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { local code=$1; shift; printf '%s: error: %s\n' "$PROG" "$*" >&2; exit "$code"; }
usage() { die 2 "$*  (see: $PROG --help)"; }
now_ms() { date +%s%3N; }

# ------------------------------------------------------------------ naming
lab_dir() { echo "/tmp/n0d3-lab-$1"; }
bridge() { echo "n0d3b$1"; }
host_bridge() { echo "n0d3h$1"; }
ns_name() { echo "n0d3-$1-$2"; }
node_ip() { echo "10.213.$1.$((10 + $2))"; }
host_veth() { echo "n0d3v$1k$2"; }
reg_port() { echo $((5000 + $1)); }

check_id() {
  if ! { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 200 ]; }; then
    usage "--id: expected an integer 1..200, got '$1'"
  fi
}

# ------------------------------------------------------------------ small process helpers
# proc_start PID -> start time (field 22 of /proc/PID/stat), empty if gone
proc_start() {
  local s f
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  s=${s##*) }
  read -r -a f <<<"$s"
  echo "${f[19]}"
}
alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
owner_alive() { # "PID:START"
  local pid=${1%%:*} st=${1#*:}
  [ -n "$pid" ] && alive "$pid" && [ "$(proc_start "$pid")" = "$st" ]
}
# wait_gone SECONDS PID... -> 0 when every PID is gone
wait_gone() {
  local t=$1; shift
  local end=$(( $(date +%s) + t )) p left
  while :; do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    [ $left = 0 ] && return 0
    [ "$(date +%s)" -ge "$end" ] && return 1
    sleep 0.1
  done
}
# ppid_of PID -> its parent pid (builtins only)
ppid_of() {
  local k v
  while read -r k v; do [ "$k" = PPid: ] && { echo "$v"; return; }; done <"/proc/$1/status" 2>/dev/null
}
# my own pid and ancestors: never killed by a teardown
self_chain() {
  local p=$BASHPID
  echo $$
  while [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != 1 ]; do
    echo "$p"
    p=$(ppid_of "$p")
  done
}

# lab_pids ID: every process belonging to lab ID, one per line: its daemons, containerd and shims
# (their command line names the lab dir or the lab's namespaces), anything inside the lab's network
# or uts namespaces or rooted in its dir, and all descendants of those. A few forks in all: it scans
# every process of the machine.
lab_pids() {
  local id=$1 dir; dir=$(lab_dir "$id")
  local files=() f
  for f in "$NETNS_DIR"/n0d3-"$id"-* "$dir"/node*/uts; do [ -e "$f" ] && files+=("$f"); done
  {
    # only bind-mounted nsfs files count (an unmounted uts file is a plain empty file)
    [ ${#files[@]} -gt 0 ] && paste -d' ' <(stat -f -c %t "${files[@]}" 2>/dev/null) <(stat -L -c %i "${files[@]}" 2>/dev/null) \
      | awk '$1 == "6e736673" { print "N", $2 }'
    self_chain | sed 's/^/X /'
    grep -lsaF -e "$dir/" -e "n0d3-$id-" /proc/[0-9]*/cmdline | awk -F/ '{ print "S", $3 }'
    find /proc/[0-9]*/ns/net /proc/[0-9]*/ns/uts /proc/[0-9]*/root -maxdepth 0 -printf '%p %l\n' 2>/dev/null \
      | awk -v d="$dir/" '{ split($1, f, "/"); if (f[4] == "root") { if (index($2, d) == 1) print "S", f[3] } else { gsub(/[^0-9]/, "", $2); print "L", f[3], $2 } }'
    awk '/^Pid:/ { p = $2 } /^PPid:/ { print "P", p, $2; nextfile }' /proc/[0-9]*/status 2>/dev/null
  } | awk '
    $1 == "N" { ns[$2] = 1; next }
    $1 == "X" { self[$2] = 1; next }
    $1 == "S" { seed[$2] = 1; next }
    $1 == "L" { if ($3 in ns) seed[$2] = 1; next }
    $1 == "P" { parent[$2] = $3; next }
    END {
      do {
        changed = 0
        for (p in parent) if (!(p in seed) && (parent[p] in seed)) { seed[p] = 1; changed = 1 }
      } while (changed)
      for (p in seed) if (!(p in self)) print p
    }' | while read -r f; do [ -d "/proc/$f" ] && echo "$f"; done | sort -n
}

# mounts under DIR, deepest first
lab_mounts() {
  local dir=$1
  awk -v d="$dir" '{ m=$5; gsub(/\\040/, " ", m); if (m == d || index(m, d "/") == 1) print m }' /proc/self/mountinfo \
    | awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2-
}

# ------------------------------------------------------------------ docker API over the socket
api() { # api SOCK METHOD PATH [curl args...]
  local sock=$1 m=$2 path=$3; shift 3
  curl -sS --max-time "${API_TIMEOUT:-20}" --unix-socket "$sock" -X "$m" "http://docker/$API$path" "$@"
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ping_ok() { [ -S "$1" ] && [ "$(curl -s --max-time 2 --unix-socket "$1" http://docker/_ping 2>/dev/null)" = OK ]; }

# ------------------------------------------------------------------ state file
write_state() { # dir, then KEY=VALUE...
  local dir=$1; shift
  printf '%s\n' "$@" >"$dir/lab.env.tmp" && mv "$dir/lab.env.tmp" "$dir/lab.env"
}
state() { # state ID KEY -> value ('' if none)
  local f; f="$(lab_dir "$1")/lab.env"
  [ -f "$f" ] || return 0
  sed -n "s/^$2=//p" "$f" | tail -n1
}

lock() { # lock ID [nowait]: serialise up/down of one id (fd 9, held until this script exits)
  mkdir -p "$LOCK_DIR"
  exec 9>"$LOCK_DIR/$1.lock"
  if [ "${2:-}" = nowait ]; then
    flock -n 9 || { exec 9>&-; return 1; }
    return 0
  fi
  flock -w 300 9 || die 1 "lab $1: another lab.sh up/down holds $LOCK_DIR/$1.lock for more than 300s"
}

# ------------------------------------------------------------------ doctor
doctor() { # flags: registry binfmt hostd busybox; prints problems, returns 0 when none
  local registry=$1 binfmt=$2 busybox=$3 bad=()
  [ "$(id -u)" = 0 ] || bad+=("not root (the lab creates namespaces, bridges and iptables rules)")
  local c
  for c in dockerd containerd runc ip iptables nsenter unshare curl flock setsid jq awk; do
    command -v "$c" >/dev/null 2>&1 || bad+=("missing command: $c")
  done
  if [ "$registry" = 1 ]; then command -v docker-registry >/dev/null 2>&1 || bad+=("missing command: docker-registry"); fi
  if [ "$binfmt" = 1 ]; then
    for c in qemu-aarch64 qemu-arm; do
      [ -f "/usr/lib/binfmt.d/$c.conf" ] || bad+=("missing /usr/lib/binfmt.d/$c.conf (qemu-user-static)")
    done
  fi
  if [ "$busybox" = 1 ]; then [ -s "$CACHE/busybox/amd64/rootfs.tar" ] || bad+=("missing $CACHE/busybox/amd64/rootfs.tar"); fi
  if [ ${#bad[@]} -gt 0 ]; then
    printf '%s\n' "${bad[@]}"
    echo "(run tests/lab/install.sh as root to install the lab)"
    return 3
  fi
  return 0
}

# ------------------------------------------------------------------ env
print_env() { # ID
  local id=$1 dir n k
  dir=$(lab_dir "$id")
  n=$(state "$id" LAB_NODES)
  [ -n "$n" ] || return 3
  local out=(
    "LAB_ID=$id" "LAB_DIR=$dir" "LAB_NODES=$n" "LAB_BRIDGE=$(bridge "$id")"
    "LAB_SUBNET=10.213.$id.0/24" "LAB_GATEWAY=10.213.$id.1" "LAB_API_VERSION=${API#v}"
    "LAB_BUSYBOX_DIR=$CACHE/busybox"
  )
  for k in $(seq 1 "$n"); do
    out+=("LAB_NODE${k}_IP=$(node_ip "$id" "$k")" "LAB_NODE${k}_NS=$(ns_name "$id" "$k")"
          "LAB_NODE${k}_HOSTNAME=node$k" "LAB_NODE${k}_SOCK=$dir/node$k/docker.sock"
          "LAB_NODE${k}_DOCKER_HOST=unix://$dir/node$k/docker.sock")
    local extra; extra=$(node_hosts "$(state "$id" LAB_DOCKERD_HOSTS)" "$k")
    [ -n "$extra" ] && out+=("LAB_NODE${k}_EXTRA_HOSTS=$extra")
  done
  if [ "$(state "$id" LAB_REGISTRY_ON)" = 1 ]; then
    out+=("LAB_REGISTRY=127.0.0.1:$(reg_port "$id")" "LAB_REGISTRY_DIR=$dir/registry/data")
  fi
  if [ "$(state "$id" LAB_HOST_DAEMON_ON)" = 1 ]; then
    out+=("LAB_HOST_SOCK=$dir/host/docker.sock" "LAB_HOST_DOCKER_HOST=unix://$dir/host/docker.sock"
          "LAB_HOST_BRIDGE=$(host_bridge "$id")" "LAB_HOST_SUBNET=10.214.$id.0/24")
  fi
  [ "$(state "$id" LAB_BUSYBOX_ON)" = 1 ] && out+=("LAB_BUSYBOX_IMAGE=$BUSYBOX_IMAGE")
  [ "$(state "$id" LAB_BINFMT_ON)" = 1 ] && out+=("LAB_BINFMT=1")
  local kv
  for kv in "${out[@]}"; do printf '%s=%q\n' "${kv%%=*}" "${kv#*=}"; done
}

# ------------------------------------------------------------------ up
# start_dockerd NAME DIR NETNS(or '') UTSFILE(or '') CONTAINERD_NS BRIDGE(none or a bridge name) [EXTRA_HOSTS]
# EXTRA_HOSTS: space-separated URLs, each one more -H (--dockerd-host)
start_dockerd() {
  local name=$1 d=$2 netns=$3 uts=$4 cns=$5 br=$6 extra=${7:-}
  mkdir -p "$d/data" "$d/exec"
  echo '{}' >"$d/daemon.json"   # never the host's /etc/docker/daemon.json
  local cmd=(dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec"
             --pidfile "$d/pid" -H "unix://$d/docker.sock" --storage-driver vfs
             "--bridge=$br" --iptables=false --ip6tables=false
             --containerd-namespace "$cns" --containerd-plugins-namespace "$cns-plugins")
  local h
  for h in $extra; do cmd+=(-H "$h"); done
  local pre=()
  if [ -n "$netns" ]; then
    pre+=(nsenter "--net=$NETNS_DIR/$netns" "--uts=$uts")
  else
    cmd+=(--ip-forward=false --ip-masq=false)   # root namespace: leave the host's sysctls alone
  fi
  spawn "$d/log" "$d/launcher.pid" "${pre[@]}" "${cmd[@]}"
  say "  $name: dockerd starting (log $d/log)${extra:+, also on $extra}"
}

# node_hosts SPEC K: the extra -H URLs of node K from a --dockerd-host list ("K=URL" or "*=URL", comma-separated)
node_hosts() {
  local spec=$1 k=$2 e out=()
  local IFS=,
  for e in $spec; do
    [ "${e%%=*}" = "$k" ] || [ "${e%%=*}" = "*" ] && out+=("${e#*=}")
  done
  IFS=' '
  echo "${out[*]}"
}

# spawn LOG PIDFILE CMD...: CMD in the background, in a session of its own, detached from every
# descriptor of ours (bats waits for fd 3 to close, ProcessRunner for stdout/stderr; our lock is fd 9)
spawn() {
  local log=$1 pidfile=$2; shift 2
  (
    for fd in "/proc/$BASHPID/fd"/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    exec setsid "$@"
  ) </dev/null >"$log" 2>&1 &
  echo $! >"$pidfile"
}

# wait_daemons TIMEOUT DIR... : until every DIR/docker.sock answers /_ping
wait_daemons() {
  local t=$1; shift
  local end=$(( $(date +%s) + t )) d pending
  while :; do
    pending=()
    for d in "$@"; do
      ping_ok "$d/docker.sock" && continue
      local lp; lp=$(cat "$d/launcher.pid" 2>/dev/null)
      if ! alive "$lp" && ! alive "$(cat "$d/pid" 2>/dev/null)"; then
        say "dockerd of $d exited; last lines of $d/log:"
        tail -n 15 "$d/log" >&2
        return 1
      fi
      pending+=("$d")
    done
    [ ${#pending[@]} = 0 ] && return 0
    if [ "$(date +%s)" -ge "$end" ]; then
      say "no /_ping answer within ${t}s from: ${pending[*]}"
      for d in "${pending[@]}"; do say "last lines of $d/log:"; tail -n 15 "$d/log" >&2; done
      return 1
    fi
    sleep 0.1
  done
}

# binfmt_misc is host-wide and several labs may build at once: what any lab registered (and whether it mounted
# binfmt_misc) is written to one ledger, and the last lab with --binfmt to go down undoes it (restore_binfmt).
BINFMT_REG=/proc/sys/fs/binfmt_misc
BINFMT_LEDGER="$LOCK_DIR/binfmt.added"

binfmt_users() { # ID: ids of the other labs that asked for binfmt and are not torn down yet
  local f i
  for f in /tmp/n0d3-lab-*/lab.env; do
    [ -f "$f" ] || continue
    i=${f#/tmp/n0d3-lab-}; i=${i%/lab.env}
    [ "$i" = "$1" ] && continue
    grep -qx 'LAB_BINFMT_ON=1' "$f" && echo "$i"
  done
  return 0
}

register_binfmt() { # prints the entries this call added (also recorded in the ledger)
  mkdir -p "$LOCK_DIR"
  (
    flock -w 120 8 || { say "binfmt: $LOCK_DIR/binfmt.lock busy for 120 s"; exit 1; }
    if [ ! -e "$BINFMT_REG/register" ]; then
      mount -t binfmt_misc binfmt_misc "$BINFMT_REG" || { say "cannot mount binfmt_misc on $BINFMT_REG"; exit 1; }
      echo mount >>"$BINFMT_LEDGER"
      say "  binfmt: mounted binfmt_misc on $BINFMT_REG"
    fi
    local e line
    for e in qemu-aarch64 qemu-arm; do
      if [ -e "$BINFMT_REG/$e" ]; then
        say "  binfmt: $e already registered ($(sed -n 's/^interpreter //p' "$BINFMT_REG/$e"))"
        continue
      fi
      line=$(grep -v '^#' "/usr/lib/binfmt.d/$e.conf" | head -n1)
      printf '%s' "$line" >"$BINFMT_REG/register" 2>/dev/null || [ -e "$BINFMT_REG/$e" ] || { say "cannot register $e"; exit 1; }
      echo "$e" >>"$BINFMT_LEDGER"
      say "  binfmt: registered $e from /usr/lib/binfmt.d/$e.conf"
      echo "$e"
    done
  ) 8>"$LOCK_DIR/binfmt.lock"
}

restore_binfmt() { # ID: when no other lab uses binfmt any more, undo what labs registered; prints what it did
  [ -s "$BINFMT_LEDGER" ] || return 0
  (
    flock -w 120 8 || { say "binfmt: $LOCK_DIR/binfmt.lock busy for 120 s"; exit 1; }
    [ -s "$BINFMT_LEDGER" ] || exit 0
    local users; users=$(binfmt_users "$1" | paste -sd' ')
    if [ -n "$users" ]; then echo "binfmt left registered for lab(s) $users"; exit 0; fi
    local e done=()
    while IFS= read -r e; do
      if [ -e "$BINFMT_REG/$e" ]; then echo -1 >"$BINFMT_REG/$e" && done+=("unregistered binfmt $e"); fi
    done < <(grep -vx mount "$BINFMT_LEDGER" | sort -u)
    if grep -qx mount "$BINFMT_LEDGER" && [ -e "$BINFMT_REG/register" ]; then
      umount "$BINFMT_REG" && done+=("unmounted binfmt_misc")
    fi
    rm -f "$BINFMT_LEDGER"
    [ ${#done[@]} = 0 ] || printf '%s; ' "${done[@]}" | sed 's/; $//'
  ) 8>"$LOCK_DIR/binfmt.lock"
}

binfmt_leftovers() { # what labs registered while no lab is up any more (check-clean --all)
  [ -s "$BINFMT_LEDGER" ] || return 0
  [ -z "$(binfmt_users "")" ] || return 0
  local e
  while IFS= read -r e; do
    [ -e "$BINFMT_REG/$e" ] && echo "binfmt $e registered by a lab that is gone"
  done < <(grep -vx mount "$BINFMT_LEDGER" | sort -u)
  if grep -qx mount "$BINFMT_LEDGER" && [ -e "$BINFMT_REG/register" ]; then echo "binfmt_misc mounted by a lab that is gone"; fi
  return 0
}

import_busybox() { # SOCK
  local out
  out=$(API_TIMEOUT=60 api "$1" POST "/images/create?fromSrc=-&repo=${BUSYBOX_IMAGE%:*}&tag=${BUSYBOX_IMAGE##*:}" \
        -H 'Content-Type: application/x-tar' --data-binary "@$CACHE/busybox/amd64/rootfs.tar") || return 1
  [[ "$out" == *'"status":"sha256:'* ]] || { say "import into $1 said: $out"; return 1; }
}

cmd_up() {
  local id="" from="" nodes="" registry=0 binfmt=0 hostd=0 busybox=0 owner="" timeout=60 dhosts=() h
  while [ $# -gt 0 ]; do
    case "$1" in
      --dockerd-host) dhosts+=("${2:-}"); shift ;;
      --id) id=${2:-}; shift ;;
      --id-from) from=${2:-}; shift ;;
      --nodes) nodes=${2:-}; shift ;;
      --registry) registry=1 ;;
      --binfmt) binfmt=1 ;;
      --host-daemon) hostd=1 ;;
      --busybox) busybox=1 ;;
      --owner) owner=${2:-}; shift ;;
      --timeout) timeout=${2:-}; shift ;;
      *) usage "up: unknown option '$1'" ;;
    esac
    shift
  done
  [ -n "$id" ] || [ -n "$from" ] || usage "up: --id ID or --id-from N is required"
  [ -n "$id" ] && [ -n "$from" ] && usage "up: give --id or --id-from, not both"
  [ -n "$id" ] && check_id "$id"
  [ -n "$from" ] && check_id "$from"
  if ! { [[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 1 ] && [ "$nodes" -le $MAX_NODES ]; }; then
    usage "up: --nodes: expected 1..$MAX_NODES, got '$nodes'"
  fi
  [[ "$timeout" =~ ^[0-9]+$ ]] || usage "up: --timeout: expected seconds, got '$timeout'"
  local hostspec=""
  for h in "${dhosts[@]}"; do
    [[ "$h" == *=* ]] || h="*=$h"
    local hk=${h%%=*} hu=${h#*=}
    if [ "$hk" != "*" ] && ! { [[ "$hk" =~ ^[0-9]+$ ]] && [ "$hk" -ge 1 ] && [ "$hk" -le "$nodes" ]; }; then
      usage "up: --dockerd-host: expected [K=]URL with K in 1..$nodes, got '$h'"
    fi
    [[ "$hu" =~ ^tcp://[][0-9A-Za-z.:-]+:[0-9]+$ || "$hu" =~ ^unix:///[^,\ ]+$ ]] \
      || usage "up: --dockerd-host: expected tcp://HOST:PORT or unix:///PATH, got '$hu'"
    hostspec+="${hostspec:+,}$hk=$hu"
  done
  if [ -z "$owner" ]; then owner=$PPID; fi
  if ! { [[ "$owner" =~ ^[0-9]+$ ]] && alive "$owner"; }; then
    usage "up: --owner: expected the pid of a live process, got '$owner'"
  fi
  local owner_tag; owner_tag="$owner:$(proc_start "$owner")"
  local problems
  problems=$(doctor "$registry" "$binfmt" "$busybox") || die 3 "this machine cannot run the lab: $(echo "$problems" | paste -sd';' | sed 's/;/; /g')"

  local want="LAB_NODES=$nodes LAB_REGISTRY_ON=$registry LAB_BINFMT_ON=$binfmt LAB_HOST_DAEMON_ON=$hostd LAB_BUSYBOX_ON=$busybox LAB_DOCKERD_HOSTS=$hostspec"
  if [ -n "$from" ]; then
    # the first id >= from (wrapping within AUTO_MIN..AUTO_MAX) that no live process owns (the caller
    # included: two labs of one JVM get two ids); an id whose lock is held (another up/down at work)
    # is skipped, not waited for
    local span=$((AUTO_MAX - AUTO_MIN + 1)) i cand o
    [ "$from" -lt $AUTO_MIN ] && from=$AUTO_MIN
    for i in $(seq 0 $((span - 1))); do
      cand=$(( (from - AUTO_MIN + i) % span + AUTO_MIN ))
      lock "$cand" nowait || continue
      o=$(state "$cand" LAB_OWNER)
      if [ -n "$o" ] && owner_alive "$o"; then exec 9>&-; continue; fi   # even our own: another lab of ours
      if [ -z "$o" ] && [ -n "$(check_clean_list "$cand")" ]; then exec 9>&-; continue; fi   # not ours to reclaim
      if [ "$registry" = 1 ] && [ -z "$o" ] && port_busy "$(reg_port "$cand")"; then exec 9>&-; continue; fi
      id=$cand; break
    done
    [ -n "$id" ] || die 3 "no free lab id in $AUTO_MIN..$AUTO_MAX"
  else
    lock "$id"
  fi
  local dir; dir=$(lab_dir "$id")

  if [ -f "$dir/lab.env" ]; then
    local o; o=$(state "$id" LAB_OWNER)
    local have; have="LAB_NODES=$(state "$id" LAB_NODES) LAB_REGISTRY_ON=$(state "$id" LAB_REGISTRY_ON) LAB_BINFMT_ON=$(state "$id" LAB_BINFMT_ON) LAB_HOST_DAEMON_ON=$(state "$id" LAB_HOST_DAEMON_ON) LAB_BUSYBOX_ON=$(state "$id" LAB_BUSYBOX_ON) LAB_DOCKERD_HOSTS=$(state "$id" LAB_DOCKERD_HOSTS)"
    if owner_alive "$o"; then
      if [ "$have" = "$want" ] && status_quiet "$id"; then
        say "lab $id is already up with these options (owner pid ${o%%:*}): nothing changed"
        print_env "$id"
        return 0
      fi
      if [ "${o%%:*}" != "$owner" ]; then
        die 3 "lab $id is in use by live pid ${o%%:*} ($have); pick another id or run: $PROG down --id $id"
      fi
      say "lab $id exists with other options or unhealthy ($have): replacing it"
    else
      say "lab $id left behind by pid ${o%%:*}, which is gone: tearing it down first"
    fi
  fi
  if [ ! -f "$dir/lab.env" ] && [ -n "$(check_clean_list "$id")" ]; then
    die 3 "lab $id: this machine has traces of lab $id that lab.sh up did not record (no $dir/lab.env): $(check_clean_list "$id" | head -n 3 | paste -sd';' | sed 's/;/; /g') ... If they are yours: $PROG down --id $id"
  fi
  if [ -d "$dir" ]; then
    down_one "$id" >/dev/null || die 1 "lab $id: could not remove what an earlier lab left behind (see above)"
  fi

  local t0; t0=$(now_ms)
  mkdir -p "$dir" || die 1 "cannot create $dir"
  write_state "$dir" "LAB_ID=$id" "LAB_NODES=$nodes" "LAB_REGISTRY_ON=$registry" "LAB_BINFMT_ON=$binfmt" \
    "LAB_HOST_DAEMON_ON=$hostd" "LAB_BUSYBOX_ON=$busybox" "LAB_DOCKERD_HOSTS=$hostspec" "LAB_OWNER=$owner_tag" "LAB_STATE=starting"
  say "lab $id: starting $nodes node(s) on $(bridge "$id") 10.213.$id.0/24 (owner pid $owner)"
  up_steps "$id" "$nodes" "$registry" "$binfmt" "$hostd" "$busybox" "$timeout" "$hostspec" || {
    say "lab $id: start failed, tearing down what was started"
    down_one "$id" >/dev/null 2>&1 || say "lab $id: teardown after the failed start left something behind: run $PROG check-clean --id $id"
    exit 1
  }
  local added; added=$(paste -sd, - 2>/dev/null <"$dir/binfmt.added")
  write_state "$dir" "LAB_ID=$id" "LAB_NODES=$nodes" "LAB_REGISTRY_ON=$registry" "LAB_BINFMT_ON=$binfmt" \
    "LAB_HOST_DAEMON_ON=$hostd" "LAB_BUSYBOX_ON=$busybox" "LAB_DOCKERD_HOSTS=$hostspec" "LAB_OWNER=$owner_tag" "LAB_STATE=up" \
    "LAB_BINFMT_ADDED=$added"
  say "lab $id: up in $(( $(now_ms) - t0 )) ms"
  print_env "$id"
}

up_steps() {
  local id=$1 nodes=$2 registry=$3 binfmt=$4 hostd=$5 busybox=$6 timeout=$7 hostspec=${8:-}
  local dir br k ns d
  dir=$(lab_dir "$id"); br=$(bridge "$id")
  # network: bridge, FORWARD rule, one namespace + veth per node
  ip link add "$br" type bridge || return 1
  ip addr add "10.213.$id.1/24" dev "$br" && ip link set "$br" up || return 1
  iptables -w -I FORWARD -i "$br" -o "$br" -m comment --comment "n0d3-lab-$id" -j ACCEPT || return 1
  say "  network: bridge $br 10.213.$id.1/24, iptables FORWARD -i $br -o $br ACCEPT"
  for k in $(seq 1 "$nodes"); do
    ns=$(ns_name "$id" "$k"); d="$dir/node$k"
    mkdir -p "$d" || return 1
    ip netns add "$ns" || return 1
    ip link add "$(host_veth "$id" "$k")" type veth peer name eth0 netns "$ns" || return 1
    ip link set "$(host_veth "$id" "$k")" master "$br" up || return 1
    ip -n "$ns" addr add "$(node_ip "$id" "$k")/24" dev eth0 || return 1
    ip -n "$ns" link set eth0 up && ip -n "$ns" link set lo up || return 1
    touch "$d/uts" && unshare --uts="$d/uts" hostname "node$k" || return 1
    say "  node$k: netns $ns, eth0 $(node_ip "$id" "$k")/24, hostname node$k"
  done
  for k in $(seq 1 "$nodes"); do
    start_dockerd "node$k" "$dir/node$k" "$(ns_name "$id" "$k")" "$dir/node$k/uts" "n0d3-$id-$k" none "$(node_hosts "$hostspec" "$k")"
  done
  local dirs=()
  for k in $(seq 1 "$nodes"); do dirs+=("$dir/node$k"); done
  if [ "$hostd" = 1 ]; then
    # The host daemon gets a bridge of its own, so that build steps (RUN) have the default "bridge"
    # network they ask for; its traffic may not be forwarded anywhere but inside that bridge.
    local hb; hb=$(host_bridge "$id")
    ip link add "$hb" type bridge && ip addr add "10.214.$id.1/24" dev "$hb" && ip link set "$hb" up || return 1
    iptables -w -I FORWARD -i "$hb" -m comment --comment "n0d3-lab-$id" -j DROP || return 1
    iptables -w -I FORWARD -i "$hb" -o "$hb" -m comment --comment "n0d3-lab-$id" -j ACCEPT || return 1
    say "  host daemon network: bridge $hb 10.214.$id.1/24, forwarding only inside it"
    start_dockerd "host daemon" "$dir/host" "" "" "n0d3-$id-host" "$hb"
    dirs+=("$dir/host")
  fi
  if [ "$registry" = 1 ]; then
    local port; port=$(reg_port "$id")
    mkdir -p "$dir/registry/data"
    cat >"$dir/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
    spawn "$dir/registry/log" "$dir/registry/pid" docker-registry serve "$dir/registry/config.yml"
    say "  registry: docker-registry on 127.0.0.1:$port, storage $dir/registry/data"
  fi
  if [ "$binfmt" = 1 ]; then
    register_binfmt >"$dir/binfmt.added" || return 1
  fi
  wait_daemons "$timeout" "${dirs[@]}" || return 1
  say "  daemons: all ${#dirs[@]} answer /_ping"
  if [ "$registry" = 1 ]; then
    local end=$(( $(date +%s) + timeout )) code
    while :; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/v2/" 2>/dev/null)
      [ "$code" = 200 ] && break
      if ! alive "$(cat "$dir/registry/pid")" || [ "$(date +%s)" -ge "$end" ]; then
        say "registry did not answer on 127.0.0.1:$port; last lines of $dir/registry/log:"
        tail -n 15 "$dir/registry/log" >&2
        return 1
      fi
      sleep 0.1
    done
    say "  registry: answers http://127.0.0.1:$port/v2/"
  fi
  if [ "$busybox" = 1 ]; then
    local pids=() rc=0
    for d in "${dirs[@]}"; do import_busybox "$d/docker.sock" & pids+=($!); done
    for k in "${pids[@]}"; do wait "$k" || rc=1; done
    [ $rc = 0 ] || return 1
    say "  image: $BUSYBOX_IMAGE imported into every daemon"
  fi
  return 0
}

# ------------------------------------------------------------------ status
status_quiet() { status_report "$1" >/dev/null 2>&1; }
status_report() { # prints, returns 0 healthy / 1 degraded / 3 not up
  local id=$1 dir n k rc=0 d pid line
  dir=$(lab_dir "$id")
  n=$(state "$id" LAB_NODES)
  if [ -z "$n" ]; then echo "lab $id: not up"; return 3; fi
  local o; o=$(state "$id" LAB_OWNER)
  echo "lab $id: $(state "$id" LAB_STATE), $n node(s), owner pid ${o%%:*} ($(owner_alive "$o" && echo alive || echo gone)), dir $dir"
  local daemons=()
  for k in $(seq 1 "$n"); do daemons+=("node$k"); done
  [ "$(state "$id" LAB_HOST_DAEMON_ON)" = 1 ] && daemons+=(host)
  for k in "${daemons[@]}"; do
    d="$dir/$k"; pid=$(cat "$d/pid" 2>/dev/null)
    if ping_ok "$d/docker.sock"; then
      local info; info=$(API_TIMEOUT=5 api "$d/docker.sock" GET /info 2>/dev/null)
      line="$(printf '%-6s' "$k") ok   pid $pid  name $(jq -r .Name <<<"$info" 2>/dev/null)  swarm $(jq -r .Swarm.LocalNodeState <<<"$info" 2>/dev/null)"
      [ "$k" != host ] && line+="  ip $(node_ip "$id" "${k#node}")  netns $(ns_name "$id" "${k#node}")"
    else
      line="$(printf '%-6s' "$k") DOWN pid ${pid:-?} ($(alive "$pid" && echo running || echo gone)), no /_ping answer on $d/docker.sock"
      rc=1
    fi
    echo "$line"
  done
  if [ "$(state "$id" LAB_REGISTRY_ON)" = 1 ]; then
    local port code; port=$(reg_port "$id")
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/v2/" 2>/dev/null)
    if [ "$code" = 200 ]; then echo "registry ok   127.0.0.1:$port"; else echo "registry DOWN 127.0.0.1:$port (HTTP $code)"; rc=1; fi
  fi
  return $rc
}

# ------------------------------------------------------------------ down
# down_one ID: tears lab ID down; prints what it did; returns 1 when something is left behind
down_one() {
  local id=$1 dir br
  dir=$(lab_dir "$id"); br=$(bridge "$id")
  local t0; t0=$(now_ms)
  local did=() binfmt_on; binfmt_on=$(state "$id" LAB_BINFMT_ON)
  # 1. containers and swarm membership, through each live daemon (in parallel)
  local d socks=()
  for d in "$dir"/node* "$dir/host"; do [ -S "$d/docker.sock" ] && socks+=("$d/docker.sock"); done
  local jobs=()
  for d in "${socks[@]}"; do
    (
      ping_ok "$d" || exit 0
      rm_all() {
        local c
        for c in $(API_TIMEOUT=10 api "$d" GET '/containers/json?all=1' 2>/dev/null | jq -r '.[].Id' 2>/dev/null); do
          API_TIMEOUT=20 api "$d" DELETE "/containers/$c?force=1&v=1" >/dev/null 2>&1
        done
      }
      rm_all
      local st; st=$(API_TIMEOUT=10 api "$d" GET /info 2>/dev/null | jq -r .Swarm.LocalNodeState 2>/dev/null)
      if [ -n "$st" ] && [ "$st" != inactive ] && [ "$st" != null ]; then
        API_TIMEOUT=30 api "$d" POST '/swarm/leave?force=1' >/dev/null 2>&1
        rm_all
      fi
    ) &
    jobs+=($!)
  done
  for d in "${jobs[@]}"; do wait "$d"; done
  [ ${#socks[@]} -gt 0 ] && did+=("containers removed and swarm left on ${#socks[@]} daemon(s)")
  # 2. daemons: SIGTERM, wait up to 15 s, then SIGKILL
  local pids=() p
  for d in "$dir"/node* "$dir/host" "$dir/registry"; do
    p=$(cat "$d/pid" 2>/dev/null)
    alive "$p" && pids+=("$p")
  done
  for p in $(lab_pids "$id"); do
    [[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" == *dockerd* ]] && pids+=("$p")
  done
  if [ ${#pids[@]} -gt 0 ]; then mapfile -t pids < <(printf '%s\n' "${pids[@]}" | sort -un); fi
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null
    if ! wait_gone 15 "${pids[@]}"; then
      kill -KILL "${pids[@]}" 2>/dev/null
      wait_gone 5 "${pids[@]}"
      did+=("SIGKILLed daemons that ignored SIGTERM for 15 s")
    fi
    did+=("stopped ${#pids[@]} daemon process(es)")
  fi
  # 3. every other process of the lab (containerd, shims, container processes, lab.sh exec children)
  local left; mapfile -t left < <(lab_pids "$id")
  if [ ${#left[@]} -gt 0 ]; then
    kill -TERM "${left[@]}" 2>/dev/null
    wait_gone 3 "${left[@]}" || { kill -KILL "${left[@]}" 2>/dev/null; wait_gone 5 "${left[@]}"; }
    did+=("killed ${#left[@]} leftover process(es)")
  fi
  # 4. mounts under the lab dir (nsfs of the uts namespaces, netns of containers, data-root), deepest first
  local m n=0 pass
  for ((pass = 1; pass <= 5; pass++)); do
    local ms; ms=$(lab_mounts "$dir")
    [ -z "$ms" ] && break
    while IFS= read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
      n=$((n + 1))
    done <<<"$ms"
  done
  [ $n -gt 0 ] && did+=("unmounted $n mount(s) under $dir")
  # 5. namespaces, links, iptables rule
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^n0d3-$id-[0-9]+$"); do
    ip netns del "$ns" 2>/dev/null || { umount "$NETNS_DIR/$ns" 2>/dev/null || umount -l "$NETNS_DIR/$ns" 2>/dev/null; rm -f "$NETNS_DIR/$ns"; }
    did+=("deleted netns $ns")
  done
  local l
  for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^n0d3v${id}k[0-9]+$"); do
    ip link del "$l" 2>/dev/null
  done
  local b hb; hb=$(host_bridge "$id")
  for b in "$br" "$hb"; do
    if ip link show "$b" >/dev/null 2>&1; then ip link del "$b" && did+=("deleted bridge $b"); fi
  done
  local r
  while IFS= read -r r; do
    [ -z "$r" ] && continue
    eval "iptables -w ${r/-A FORWARD/-D FORWARD}" && did+=("deleted iptables rule: $r")
  done < <(iptables -w -S FORWARD 2>/dev/null | grep -E -- "(-i|-o) ($br|$hb)( |$)")
  # 6. the lab dir itself, only once nothing is mounted below it
  if [ -d "$dir" ]; then
    if [ -z "$(lab_mounts "$dir")" ]; then
      rm -rf --one-file-system "$dir" && did+=("removed $dir")
    else
      say "lab $id: not removing $dir: still mounted: $(lab_mounts "$dir" | paste -sd' ')"
    fi
  fi
  if [ "$binfmt_on" = 1 ]; then
    local b; b=$(restore_binfmt "$id") && [ -n "$b" ] && did+=("$b")
  fi
  if [ ${#did[@]} = 0 ]; then
    say "lab $id: nothing to tear down"
  else
    say "lab $id: down in $(( $(now_ms) - t0 )) ms: $(printf '%s; ' "${did[@]}" | sed 's/; $//')"
  fi
  local leftovers; leftovers=$(check_clean_list "$id")
  if [ -n "$leftovers" ]; then
    say "lab $id: left behind after teardown:"
    local line
    while IFS= read -r line; do printf '  %s\n' "$line"; done <<<"$leftovers" >&2
    return 1
  fi
  return 0
}

all_ids() {
  {
    for d in /tmp/n0d3-lab-*; do [ -d "$d" ] && echo "${d#/tmp/n0d3-lab-}"; done
    ip netns list 2>/dev/null | awk '{print $1}' | sed -nE 's/^n0d3-([0-9]+)-[0-9]+$/\1/p'
    ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | sed -nE 's/^n0d3[bh]([0-9]+)$/\1/p'
    iptables -w -S FORWARD 2>/dev/null | sed -nE 's/.* -i n0d3[bh]([0-9]+) .*/\1/p'
  } | grep -E '^[0-9]+$' | sort -un
}

cmd_down() {
  local id="" all=0 stale=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --id) id=${2:-}; shift ;;
      --all) all=1 ;;
      --stale) stale=1 ;;
      *) usage "down: unknown option '$1'" ;;
    esac
    shift
  done
  local given=$((all + stale)); [ -n "$id" ] && given=$((given + 1))
  [ $given = 1 ] || usage "down: give exactly one of --id ID, --all, --stale"
  [ "$(id -u)" = 0 ] || die 3 "must run as root"
  if [ -n "$id" ]; then
    check_id "$id"
    lock "$id"
    down_one "$id"
    return
  fi
  local rc=0 i o
  for i in $(all_ids); do
    if [ $stale = 1 ]; then
      o=$(state "$i" LAB_OWNER)
      if [ -z "$o" ]; then say "lab $i: not started by lab.sh up (no lab.env), left alone"; continue; fi
      if owner_alive "$o"; then say "lab $i: owner pid ${o%%:*} alive, kept"; continue; fi
    fi
    ( lock "$i"; down_one "$i" ) || rc=1
  done
  return $rc
}

# ------------------------------------------------------------------ check-clean
check_clean_list() { # ID -> one line per leftover
  local id=$1 dir br p
  dir=$(lab_dir "$id"); br=$(bridge "$id")
  for p in $(lab_pids "$id"); do
    echo "process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-160)"
  done
  lab_mounts "$dir" | sed 's/^/mount /'
  awk '{print $5}' /proc/self/mountinfo | grep -E "^$NETNS_DIR/n0d3-$id-[0-9]+$" | sed 's/^/mount /'
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^n0d3-$id-[0-9]+$" | sed 's/^/netns /'
  ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^(n0d3b$id|n0d3h$id|n0d3v${id}k[0-9]+)$" | sed 's/^/link /'
  iptables -w -S FORWARD 2>/dev/null | grep -E -- "(-i|-o) (n0d3b$id|n0d3h$id)( |$)" | sed 's/^/iptables /'
  [ -e "$dir" ] && echo "dir $dir"
  return 0
}

cmd_check_clean() {
  local id="" all=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --id) id=${2:-}; shift ;;
      --all) all=1 ;;
      *) usage "check-clean: unknown option '$1'" ;;
    esac
    shift
  done
  [ -n "$id" ] || [ $all = 1 ] || usage "check-clean: --id ID or --all is required"
  local ids
  if [ -n "$id" ]; then check_id "$id"; ids=$id; else ids=$(all_ids); fi
  local out="" i l line
  for i in $ids; do
    l=$(check_clean_list "$i")
    if [ -n "$l" ]; then
      while IFS= read -r line; do out+="lab $i: $line"$'\n'; done <<<"$l"
    fi
  done
  if [ $all = 1 ]; then
    l=$(binfmt_leftovers)
    [ -z "$l" ] || out+="$l"$'\n'
  fi
  if [ -n "$out" ]; then printf '%s' "$out"; return 1; fi
  echo "clean${id:+: lab $id left nothing behind}"
}

# ------------------------------------------------------------------ exec
cmd_exec() {
  local id="" node=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --id) id=${2:-}; shift ;;
      --node) node=${2:-}; shift ;;
      --) shift; break ;;
      -*) usage "exec: unknown option '$1'" ;;
      *) break ;;
    esac
    shift
  done
  [ -n "$id" ] || usage "exec: --id ID is required"
  check_id "$id"
  [ -n "$node" ] || usage "exec: --node K (or host) is required"
  [ $# -gt 0 ] || usage "exec: no command given (lab.sh exec --id ID --node K -- CMD...)"
  local dir n; dir=$(lab_dir "$id"); n=$(state "$id" LAB_NODES)
  [ -n "$n" ] || die 3 "lab $id is not up"
  exec 9>&-
  if [ "$node" = host ]; then
    [ "$(state "$id" LAB_HOST_DAEMON_ON)" = 1 ] || die 2 "exec: lab $id was started without --host-daemon"
    exec env DOCKER_HOST="unix://$dir/host/docker.sock" LAB_ID="$id" LAB_NODE=host "$@"
  fi
  if ! { [[ "$node" =~ ^[0-9]+$ ]] && [ "$node" -ge 1 ] && [ "$node" -le "$n" ]; }; then
    usage "exec: --node: expected 1..$n or host, got '$node'"
  fi
  local ns; ns=$(ns_name "$id" "$node")
  [ -e "$NETNS_DIR/$ns" ] || die 3 "lab $id: network namespace $ns is gone"
  exec nsenter "--net=$NETNS_DIR/$ns" "--uts=$dir/node$node/uts" \
    env DOCKER_HOST="unix://$dir/node$node/docker.sock" LAB_ID="$id" LAB_NODE="$node" "$@"
}

# ------------------------------------------------------------------ main
main() {
  [ $# -gt 0 ] || usage "no command given (up, down, status, env, exec, check-clean, doctor)"
  local c=$1; shift
  case "$c" in
    -h|--help|help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status)
      if [ "${1:-}" != --id ] || [ -z "${2:-}" ]; then usage "status: --id ID is required"; fi
      check_id "$2"; status_report "$2" ;;
    env)
      if [ "${1:-}" != --id ] || [ -z "${2:-}" ]; then usage "env: --id ID is required"; fi
      check_id "$2"; print_env "$2" || die 3 "lab $2 is not up" ;;
    exec) cmd_exec "$@" ;;
    check-clean) cmd_check_clean "$@" ;;
    doctor)
      local r=0 b=0 bb=0
      while [ $# -gt 0 ]; do
        case "$1" in
          --registry) r=1 ;; --binfmt) b=1 ;; --host-daemon) ;; --busybox) bb=1 ;; --dockerd-host) shift ;;
          *) usage "doctor: unknown option '$1'" ;;
        esac
        shift
      done
      doctor "$r" "$b" "$bb" && echo "ok: this machine can run the lab" ;;
    *) usage "unknown command '$c' (expected up, down, status, env, exec, check-clean, doctor)" ;;
  esac
}

main "$@"
