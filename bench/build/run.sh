#!/usr/bin/env bash
# bench/build: what build_amd.java adds to a buildx build, and what an arm64 build costs under QEMU (issue 6).
#   (a) overhead: wall of `java -jar target/n0d3.jar build-amd --no-smoke` against the wall of the very
#       `docker buildx build` command it runs (taken from its --dry-run plan), same context, both with a warm
#       cache, interleaved, median of RUNS runs each. Target: <= 1.0 s.
#   (b) the native smoke test (docker create + start --attach of the image), a figure of its own: it is work, not overhead.
#   (c) arm64 under QEMU through build_arm.java --platform linux/arm64, cold (a build arg busts the cache of
#       the RUN step, which runs under QEMU), smoke test included: a FROM scratch + busybox context; and, when
#       tests/lab/jre-rootfs.sh has the Debian JRE root file systems cached, the project's own Dockerfile for
#       linux/arm64 (and linux/amd64 beside it) on that JRE, its version command as the smoke test.
# Docker: the lab's host daemon (tests/lab/lab.sh, id 93, --host-daemon --binfmt), as root.
# usage: bench/build/run.sh [--runs N]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
RUNS=7 LAB_ID=93
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    *) echo "usage: bench/build/run.sh [--runs N]" >&2; exit 2 ;;
  esac
  shift
done
if [ "$(id -u)" != 0 ] || [ ! -x tests/lab/lab.sh ]; then echo "bench/build needs root and tests/lab/lab.sh" >&2; exit 3; fi
JAR=$PWD/target/n0d3.jar
[ -f "$JAR" ] || mvn -B -q -o package -DskipTests || exit 1
W=$(mktemp -d /tmp/n0d3-bench-build.XXXXXX)
cleanup() {
  [ -n "${LAB_UP:-}" ] && tests/lab/lab.sh down --id "$LAB_ID" >/dev/null 2>&1
  rm -rf "$W"
}
trap cleanup EXIT

eval "$(tests/lab/lab.sh up --id "$LAB_ID" --nodes 1 --host-daemon --binfmt 2>/dev/null)" || { echo "lab $LAB_ID did not start" >&2; exit 1; }
LAB_UP=1
export DOCKER_HOST=$LAB_HOST_DOCKER_HOST DOCKER_CONFIG=$W/docker-config NO_COLOR=1
mkdir -p "$DOCKER_CONFIG"
export REGISTRY=bench.invalid IMAGE_NAME=n0d3/bench

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)" MiB"}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(java -version 2>&1 | head -1), $(docker buildx version | head -1), dockerd $(docker version --format '{{.Server.Version}}' 2>/dev/null) (vfs)"

# the test context: FROM scratch + static busybox per architecture, one RUN step
C=$W/ctx
mkdir -p "$C"
cp "$LAB_BUSYBOX_DIR/amd64/busybox" "$C/busybox-amd64"
cp "$LAB_BUSYBOX_DIR/arm64/busybox" "$C/busybox-arm64"
cat >"$C/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
COPY busybox-${TARGETARCH} /bin/busybox
ARG BUST=0
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && echo $BUST >/bust"]
CMD ["uname", "-m"]
EOF
TOOL=(java -jar "$JAR")
COMMON=(--context "$C" --revision 0123456789abcdef0123456789abcdef01234567 --image-version bench)

# ---------------------------------------------------------------- (a) overhead over the raw buildx build
# "ci": the environment of .github/workflows/build.yml (REGISTRY, IMAGE_NAME, VERSION and GitHub's own variables
# give every value: codex.yaml is not read); "codex": an operator's run in the checkout, the source label
# read from ./codex.yaml (YAML + JSON Schema validation at start-up).
CI_ENV=(env GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=PR-CYBR/PR-CYBR-N0D3)
RAW=$("${CI_ENV[@]}" "${TOOL[@]}" build-amd "${COMMON[@]}" --no-smoke --dry-run | sed -n 's/^  build    //p')
[ -n "$RAW" ] || { echo "no build line in the --dry-run plan" >&2; exit 1; }
eval "$RAW" >/dev/null 2>&1 || { echo "raw build failed: $RAW" >&2; exit 1; }   # warm the cache
for _ in $(seq "$RUNS"); do
  t0=$(now); eval "$RAW" >/dev/null 2>&1 || exit 1; t1=$(now); secs "$t0" "$t1" >>"$W/raw.txt"
  t0=$(now); "${CI_ENV[@]}" "${TOOL[@]}" build-amd "${COMMON[@]}" --no-smoke -q >/dev/null 2>&1 || exit 1; t1=$(now); secs "$t0" "$t1" >>"$W/ci.txt"
  t0=$(now); "${TOOL[@]}" build-amd "${COMMON[@]}" --no-smoke -q >/dev/null 2>&1 || exit 1; t1=$(now); secs "$t0" "$t1" >>"$W/codex.txt"
done
raw=$(median <"$W/raw.txt")
echo
echo "(a) linux/amd64, warm cache, median of $RUNS interleaved runs (load $(cut -d' ' -f1 /proc/loadavg) now):"
printf '    raw docker buildx build (the command build_amd runs)   %7.3f s\n' "$raw"
for k in ci codex; do
  tool=$(median <"$W/$k.txt")
  over=$(awk -v a="$tool" -v b="$raw" 'BEGIN { printf "%.3f", a - b }')
  ratio=$(awk -v a="$tool" -v b="$raw" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  verdict=$(awk -v v="$over" 'BEGIN { print (v <= 1.0 ? "ok" : "OVER") }')
  printf '    build_amd.java --no-smoke, %-5s                       %7.3f s   (%sx)   overhead %6.3f s   target <= 1.0 s: %s\n' \
    "$k" "$tool" "$ratio" "$over" "$verdict"
done

# ---------------------------------------------------------------- (b) the native smoke test
for _ in $(seq "$RUNS"); do
  "${TOOL[@]}" build-amd "${COMMON[@]}" --smoke-cmd 'uname -m' --smoke-expect '^{machine}$' --json -q 2>/dev/null \
    | jq -r '.platforms[0].smoke.ms' >>"$W/smoke.txt"
done
echo
echo "(b) native smoke test (docker create, start --attach, rm of the image, uname -m): median $(median <"$W/smoke.txt") ms"

# ---------------------------------------------------------------- (c) arm64 under QEMU
arm_run() { # label, then build_arm arguments -> one line with wall, build and smoke times
  local label=$1 t0 t1 json
  shift
  t0=$(now)
  json=$("${TOOL[@]}" build-arm --platform linux/arm64 "$@" --json -q 2>"$W/arm.err") || { echo "build_arm failed:" >&2; cat "$W/arm.err" >&2; return 1; }
  t1=$(now)
  printf '    %-44s wall %7.3f s   build %6.1f s   smoke %5.1f s (%s)\n' "$label" "$(secs "$t0" "$t1")" \
    "$(jq -r '.platforms[0].build_ms / 1000' <<<"$json")" "$(jq -r '.platforms[0].smoke.ms / 1000' <<<"$json")" \
    "$(jq -r '.platforms[0].smoke.output' <<<"$json")"
}
echo
echo "(c) linux/arm64 under QEMU (build_arm.java, smoke test included):"
for i in 1 2 3; do
  arm_run "busybox context, cold RUN step ($i)" "${COMMON[@]}" --build-arg "BUST=$(date +%s%N)" --smoke-cmd 'uname -m' --smoke-expect '^{machine}$' || exit 1
done
JRE=${N0D3_LAB_CACHE:-/var/cache/n0d3-lab}/jre17
if [ -s "$JRE/arm64/rootfs.tar" ] && [ -s "$JRE/amd64/rootfs.tar" ]; then
  J=$W/jre
  mkdir -p "$J"
  ln "$JRE/arm64/rootfs.tar" "$J/rootfs-arm64.tar" 2>/dev/null || cp "$JRE/arm64/rootfs.tar" "$J/rootfs-arm64.tar"
  ln "$JRE/amd64/rootfs.tar" "$J/rootfs-amd64.tar" 2>/dev/null || cp "$JRE/amd64/rootfs.tar" "$J/rootfs-amd64.tar"
  cat >"$J/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
ADD rootfs-${TARGETARCH}.tar /
EOF
  docker buildx build -q --platform linux/arm64 -t n0d3-bench/jre17:arm64 --load "$J" >/dev/null || exit 1
  docker buildx build -q --platform linux/amd64 -t n0d3-bench/jre17:amd64 --load "$J" >/dev/null || exit 1
  NODE=(--context . --revision 0123456789abcdef0123456789abcdef01234567 --image-version bench --smoke-expect '^n0d3 ')
  arm_run "node image (Debian JRE), first build" "${NODE[@]}" --build-arg JRE_IMAGE=n0d3-bench/jre17:arm64 || exit 1
  arm_run "node image, rebuilt with a warm cache" "${NODE[@]}" --build-arg JRE_IMAGE=n0d3-bench/jre17:arm64 || exit 1
  t0=$(now)
  json=$("${TOOL[@]}" build-amd "${NODE[@]}" --build-arg JRE_IMAGE=n0d3-bench/jre17:amd64 --json -q 2>/dev/null) || exit 1
  t1=$(now)
  printf '    %-44s wall %7.3f s   build %6.1f s   smoke %5.1f s (%s)\n' "beside it: linux/amd64 node image, native" "$(secs "$t0" "$t1")" \
    "$(jq -r '.platforms[0].build_ms / 1000' <<<"$json")" "$(jq -r '.platforms[0].smoke.ms / 1000' <<<"$json")" \
    "$(jq -r '.platforms[0].smoke.output' <<<"$json")"
else
  echo "    (no JRE root file systems in $JRE: run tests/lab/jre-rootfs.sh amd64 arm64 for the node image figures)"
fi
