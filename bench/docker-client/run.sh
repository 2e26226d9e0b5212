#!/bin/sh
# Engine API client start-up cost: lib.docker.DockerClient against docker-java (core + zerodep transport).
# Prints a table (median of RUNS runs, wall ms from `java` spawn to the answer of GET /info, classes loaded,
# peak RSS, class-path size) and the ratios. Needs a running dockerd: $DOCKER_HOST if it answers, else a lab
# node's socket (/tmp/n0d3-lab-*/node*/docker.sock), else /var/run/docker.sock, else (as root) a throwaway
# dockerd started here under /tmp/dc-bench and stopped at the end.
# Usage: bench/docker-client/run.sh [RUNS]   (default 7)
#        BENCH_OWN_DOCKERD=1 bench/docker-client/run.sh   to use a throwaway dockerd even when a lab runs
#        (a lab torn down by its owner in the middle of a run ends the run)
set -eu
RUNS=${1:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
OUT="$TOP/bench/out/docker-client"
mkdir -p "$OUT"
BENCH_DOCKERD_PID=

answers() { # socket path -> true when something answers /_ping there
    [ -S "$1" ] && curl -fsS --max-time 3 --unix-socket "$1" http://docker/_ping >/dev/null 2>&1
}

stop_dockerd() {
    if [ -n "$BENCH_DOCKERD_PID" ] && kill -0 "$BENCH_DOCKERD_PID" 2>/dev/null; then
        kill "$BENCH_DOCKERD_PID"
        i=0
        while kill -0 "$BENCH_DOCKERD_PID" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$BENCH_DOCKERD_PID" 2>/dev/null || true
        awk '$2 ~ "^/tmp/dc-bench" {print $2}' /proc/mounts | sort -r | while IFS= read -r m; do umount "$m" 2>/dev/null || true; done
        rm -rf /tmp/dc-bench
    fi
}
trap stop_dockerd EXIT
trap 'exit 130' INT TERM

SOCK=
if [ "${BENCH_OWN_DOCKERD:-0}" != 1 ]; then
    case "${DOCKER_HOST:-}" in unix://*) answers "${DOCKER_HOST#unix://}" && SOCK=${DOCKER_HOST#unix://} ;; esac
fi
if [ -z "$SOCK" ] && [ "${BENCH_OWN_DOCKERD:-0}" != 1 ]; then
    for s in /tmp/n0d3-lab-*/node*/docker.sock /var/run/docker.sock; do
        if answers "$s"; then SOCK=$s; break; fi
    done
fi
if [ -z "$SOCK" ]; then
    [ "$(id -u)" = 0 ] || { echo "no dockerd answers and not root: start one or set DOCKER_HOST" >&2; exit 2; }
    command -v dockerd >/dev/null || { echo "dockerd is not installed (apt-get install -y docker.io)" >&2; exit 2; }
    mkdir -p /tmp/dc-bench
    dockerd --data-root /tmp/dc-bench/data --exec-root /tmp/dc-bench/exec --pidfile /tmp/dc-bench/pid \
        -H unix:///tmp/dc-bench/docker.sock --storage-driver vfs --bridge=none --iptables=false --ip6tables=false \
        >/tmp/dc-bench/dockerd.log 2>&1 &
    BENCH_DOCKERD_PID=$!
    i=0
    until answers /tmp/dc-bench/docker.sock; do
        i=$((i + 1))
        if [ $i -ge 300 ] || ! kill -0 "$BENCH_DOCKERD_PID" 2>/dev/null; then
            echo "dockerd did not come up:" >&2; tail -5 /tmp/dc-bench/dockerd.log >&2; exit 1
        fi
        sleep 0.1
    done
    SOCK=/tmp/dc-bench/docker.sock
    echo "started a throwaway dockerd (pid $BENCH_DOCKERD_PID) at $SOCK"
fi
export DOCKER_HOST="unix://$SOCK"
echo "daemon: $DOCKER_HOST ($(curl -fsS --unix-socket "$SOCK" http://docker/v1.41/version | sed -n 's/.*"Version":"\([^"]*\)".*"ApiVersion":"\([^"]*\)".*/dockerd \1, API \2/p'))"

# (a) our client: the project's classes and the main pom's runtime class path
(cd "$TOP" && mvn -B -q -o compile dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/ours.cp")
# (b) docker-java: this folder's pom
(cd "$HERE" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$OUT/docker-java.cp")
OURS_CP="$TOP/target/classes:$(cat "$OUT/ours.cp")"
DJ_CP="$(cat "$OUT/docker-java.cp")"

rm -rf "$OUT/classes" && mkdir -p "$OUT/classes/base" "$OUT/classes/ours" "$OUT/classes/dj"
javac -d "$OUT/classes/base" "$HERE/Probe.java" "$HERE/BaselineProbe.java"
javac -d "$OUT/classes/ours" -cp "$OURS_CP" "$HERE/Probe.java" "$HERE/OursProbe.java"
javac -d "$OUT/classes/dj" -cp "$DJ_CP" "$HERE/Probe.java" "$HERE/DockerJavaProbe.java"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
java "$HERE/Harness.java" "$RUNS" "$OUT" \
    "baseline=$OUT/classes/base:BaselineProbe" \
    "ours=$OUT/classes/ours:$OURS_CP:OursProbe" \
    "docker-java=$OUT/classes/dj:$DJ_CP:DockerJavaProbe"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
