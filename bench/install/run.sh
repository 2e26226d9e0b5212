#!/bin/sh
# install.java speed: wall and CPU time (user+sys) of
#   1. --dry-run on a fresh --root (the exact plan, nothing written),
#   2. the first converge of a prepared host (Docker present: a lab node's dockerd), target <= 30 s wall,
#   3. a re-run on the converged root (every phase unchanged), target <= 3 s wall including the JVM,
# each the median of RUNS runs of `java -jar target/n0d3.jar install ...` (what an operator types), beside a
# bare JVM hello-world on the same machine, with the ratios. Needs root (the lab) and target/n0d3.jar
# (mvn -B -q package -DskipTests). Lab id 121; torn down at the end.
# Usage: bench/install/run.sh [RUNS]   (default 5)
set -eu
RUNS=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
JAR="$TOP/target/n0d3.jar"
OUT="$TOP/bench/out/install"
LAB_ID=121
[ -f "$JAR" ] || { echo "no $JAR: run mvn -B -q package -DskipTests first" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (the Docker lab)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install -y time)" >&2; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT"

cleanup() { "$TOP/tests/lab/lab.sh" down --id $LAB_ID >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
eval "$("$TOP/tests/lab/lab.sh" up --id $LAB_ID --nodes 1 2>"$OUT/lab.log")"
DOCKER_HOST="unix:///tmp/n0d3-lab-$LAB_ID/node1/docker.sock"
export DOCKER_HOST
unset MGMT_NODE_URL API_TOKEN API_TOKEN_FILE ZEROTIER_NETWORK_ID TAILSCALE_AUTH_KEY TAILSCALE_AUTH_KEY_FILE SWARM_MANAGER_IP SWARM_JOIN_TOKEN SWARM_JOIN_TOKEN_FILE

fresh_root() { # $1 = dir
    rm -rf "$1" && mkdir -p "$1/etc" && cp "$TOP/tests/resources/os-release/debian-12" "$1/etc/os-release"
}

# one timed run: prints "wall user+sys" in seconds; the command's output goes to $OUT/last.*
timed() {
    /usr/bin/time -f "%e %U %S" -o "$OUT/time" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || {
        echo "failed: $*" >&2; cat "$OUT/last.err" >&2; exit 1; }
    awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$OUT/time"
}

measure() { # $1 = name, rest = command; the setup for each run is in $SETUP (a function name) or empty
    name=$1; shift
    : > "$OUT/$name.runs"
    i=0
    while [ $i -lt "$RUNS" ]; do
        [ -n "${SETUP:-}" ] && $SETUP
        timed "$@" >> "$OUT/$name.runs"
        i=$((i + 1))
    done
    wall=$(sort -n -k1 "$OUT/$name.runs" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    cpu=$(sort -n -k2 "$OUT/$name.runs" | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')
    echo "$name $wall $cpu"
}

R="$OUT/root"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$OUT/Hello.java"
javac -d "$OUT" "$OUT/Hello.java"
SETUP=; base=$(measure jvm-hello java -cp "$OUT" Hello)
SETUP="fresh_root $R"; dry=$(measure dry-run java -jar "$JAR" install --root "$R" --dry-run --yes)
cp "$OUT/last.out" "$OUT/dry-run.plan.txt"
SETUP="fresh_root $R"; first=$(measure converge java -jar "$JAR" install --root "$R" --yes --jar "$JAR")
SETUP=; rerun=$(measure re-run java -jar "$JAR" install --root "$R" --yes --jar "$JAR")
cp "$OUT/last.out" "$OUT/re-run.summary.txt"
grep -q "Nothing changed: every phase is unchanged." "$OUT/re-run.summary.txt" || { echo "the re-run changed something:" >&2; cat "$OUT/re-run.summary.txt" >&2; exit 1; }

bw=$(echo "$base" | awk '{print $2}')
printf '\ninstall.java on %s (%s cores, load %s), median of %s runs, java -jar target/n0d3.jar:\n\n' \
    "$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"')" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" "$RUNS"
printf '%-10s %9s %9s %14s %s\n' "run" "wall s" "cpu s" "x hello" "target"
for row in "$base" "$dry" "$first" "$rerun"; do
    name=${row%% *}; rest=${row#* }; wall=${rest%% *}; cpu=${rest#* }
    target=
    case $name in converge) target="<= 30 s wall" ;; re-run) target="<= 3 s wall" ;; esac
    ratio=$(awk -v a="$wall" -v b="$bw" 'BEGIN {printf "%.1f", a / b}')
    printf '%-10s %9s %9s %14s %s\n' "$name" "$wall" "$cpu" "$ratio" "$target"
done
rw=$(echo "$rerun" | awk '{print $2}'); cw=$(echo "$first" | awk '{print $2}')
awk -v r="$rw" -v c="$cw" 'BEGIN {
    printf "\nre-run %s: %.3f s (target 3 s); converge %s: %.3f s (target 30 s)\n", (r <= 3 ? "meets its target" : "MISSES its target"), r,
        (c <= 30 ? "meets its target" : "MISSES its target"), c }'
echo "(raw runs and the outputs in $OUT)"
