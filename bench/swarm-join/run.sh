#!/usr/bin/env bash
# bench/swarm-join: what a swarm join costs, against the targets of issue 3, on a real lab swarm.
#   (a) end to end: process start -> node "active" (swarm_join exits only after it has read the node
#       active back), JVM start included, launched as the watch unit launches it (its java flags, with and
#       without the AppCDS archive the unit makes). Target: <= 1.5 s warm (the CDS figure).
#   (b) failover: the same with the first manager listed dead (its link down: SYNs go unanswered, the
#       worst case), probe timeout 1 s. Target: added time over (a) <= probe timeout + 1 s.
#   (c) the bare `docker swarm join` CLI on the same lab, and the ratio (a) / (c).
# Lab (tests/lab/lab.sh, id 33, as root): node1 leader, node2 and node3 managers, node4 joins as a worker.
# The dead manager of (b) is node3, a non-leader: a dead leader adds Docker's raft election, not ours.
# (c) passes the token on the docker CLI's command line, as `docker swarm join --token` must: a
# throwaway lab token, and the very exposure swarm_join.java avoids.
# usage: bench/swarm-join/run.sh [--runs N]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
RUNS=7 LAB_ID=33 PROBE=1s
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    *) echo "usage: bench/swarm-join/run.sh [--runs N]" >&2; exit 2 ;;
  esac
  shift
done
if [ "$(id -u)" != 0 ] || [ ! -x tests/lab/lab.sh ]; then echo "bench/swarm-join: needs root and tests/lab/lab.sh" >&2; exit 3; fi
JAR=$PWD/target/n0d3.jar
[ -f "$JAR" ] || mvn -B -q -o package -DskipTests || exit 1
W=$(mktemp -d /tmp/n0d3-bench-swarm.XXXXXX)
chmod 700 "$W"
cleanup() {
  [ -n "${LAB_UP:-}" ] && tests/lab/lab.sh down --id "$LAB_ID" >/dev/null 2>&1
  rm -rf "$W"
}
trap cleanup EXIT

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
min() { sort -g | head -1; }
now_ms() { date +%s%3N; }
x() { local k=$1; shift; tests/lab/lab.sh exec --id "$LAB_ID" --node "$k" -- "$@"; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
eval "$(tests/lab/lab.sh up --id "$LAB_ID" --nodes 4 2>/dev/null)" || { echo "lab $LAB_ID did not start" >&2; exit 1; }
LAB_UP=1
x 1 docker swarm init --advertise-addr "$LAB_NODE1_IP" >/dev/null || exit 1
x 1 docker swarm join-token -q worker > "$W/worker-token"
x 1 docker swarm join-token -q manager > "$W/manager-token"
chmod 600 "$W"/*-token
for k in 2 3; do
  ip=LAB_NODE${k}_IP
  # set-up only: the lab's managers (the token on this CLI line is the bench's own throwaway)
  x "$k" docker swarm join --token "$(cat "$W/manager-token")" --advertise-addr "${!ip}" "$LAB_NODE1_IP:2377" >/dev/null || exit 1
done
printf 'capabilities:\n  swarm:\n    probe_timeout: %s\n    join_timeout: 25s\n' "$PROBE" > "$W/codex.yaml"

# the watch unit's java flags (configs/systemd/pr-cybr-swarm-watch.service)
FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xmx64m -Xlog:cds=off -Xlog:cds+dynamic=off)
leave4() {
  local id
  id=$(x 4 docker info --format '{{.Swarm.NodeID}}')
  x 4 docker swarm leave --force >/dev/null 2>&1
  [ -n "$id" ] && x 1 docker node rm --force "$id" >/dev/null 2>&1
  return 0
}
# join4 LABEL MANAGERS [java flags...]: one timed run from process start to exit; the node must be active
join4() {
  local label=$1 managers=$2 t0 t1 rc
  shift 2
  t0=$(now_ms)
  x 4 java "$@" -jar "$JAR" swarm-join --quiet --config "$W/codex.yaml" --state-dir "$W/state" \
    --token-file "$W/worker-token" --manager "$managers" >/dev/null 2>"$W/err"
  rc=$?
  t1=$(now_ms)
  if [ $rc != 0 ] || [ "$(x 4 docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
    echo "bench/swarm-join: $label run failed (exit $rc): $(tail -3 "$W/err")" >&2
    exit 1
  fi
  echo $((t1 - t0)) >> "$W/$label"
  leave4
}

# AppCDS archive, made as the unit's ExecStartPre makes it (a training run)
x 4 java "${FLAGS[@]}" -XX:ArchiveClassesAtExit="$W/n0d3.jsa" -jar "$JAR" swarm-join --quiet --config "$W/codex.yaml" \
  --state-dir "$W/state" --token-file "$W/worker-token" --manager "$LAB_NODE1_IP" >/dev/null 2>&1
leave4
CDS=(-XX:SharedArchiveFile="$W/n0d3.jsa" -Xshare:auto)

for _ in $(seq "$RUNS"); do
  join4 plain "$LAB_NODE1_IP" "${FLAGS[@]}"
  join4 cds "$LAB_NODE1_IP" "${FLAGS[@]}" "${CDS[@]}"
  ip -n "n0d3-$LAB_ID-3" link set eth0 down
  join4 failover "$LAB_NODE3_IP,$LAB_NODE1_IP" "${FLAGS[@]}" "${CDS[@]}"
  ip -n "n0d3-$LAB_ID-3" link set eth0 up
  t0=$(now_ms)
  x 4 docker swarm join --token "$(cat "$W/worker-token")" --advertise-addr "$LAB_NODE4_IP" "$LAB_NODE1_IP:2377" >/dev/null || exit 1
  t1=$(now_ms)
  echo $((t1 - t0)) >> "$W/bare"
  leave4
  t0=$(now_ms)
  x 4 java "${FLAGS[@]}" "${CDS[@]}" -jar "$JAR" swarm-join --version >/dev/null
  t1=$(now_ms)
  echo $((t1 - t0)) >> "$W/jvm"
done

p() { printf '%-58s median %5s ms   min %5s ms   (%s runs)\n' "$1" "$(median < "$W/$2")" "$(min < "$W/$2")" "$RUNS"; }
echo
p "(a) swarm-join, start -> active, no CDS" plain
p "(a) swarm-join, start -> active, AppCDS (warm, as the unit)" cds
p "(b) the same, first manager dead (probe timeout $PROBE)" failover
p "(c) bare docker swarm join (Go CLI, token in argv)" bare
p "    for reference: JVM start, swarm-join --version (CDS)" jvm
a=$(median < "$W/cds") b=$(median < "$W/failover") c=$(median < "$W/bare")
probe_ms=$(( ${PROBE%s} * 1000 ))
echo
awk -v a="$a" -v b="$b" -v c="$c" -v p="$probe_ms" 'BEGIN {
  printf "ratio (a, CDS) / (c):            %.1fx\n", a / c
  printf "target (a) <= 1500 ms warm:      %s (%d ms)\n", (a <= 1500 ? "met" : "NOT met"), a
  printf "failover added over (a):         %d ms; target <= probe timeout + 1 s = %d ms: %s\n", b - a, p + 1000, (b - a <= p + 1000 ? "met" : "NOT met")
}'
