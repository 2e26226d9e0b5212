#!/bin/sh
# ENTRYPOINT of the node image: `java <the image's JVM flags> -jar n0d3.jar "$@"`.
# For the telemetry daemon (the image's CMD, `telemetry --daemon ...`) it first runs one `telemetry --once` on the
# daemon's codex.yaml and state dir, printing nothing, as pr-cybr-telemetry-daemon.service's ExecStartPre does: that
# run writes the bound codex (STATE_DIR/codex.validated), and the daemon then starts from it without ever loading
# the YAML, schema and binding code (about 10 MiB of RSS for the daemon's whole life; SOP-004). The first run fails
# or times out? The daemon starts anyway and takes the full path itself.
# N0D3_JAR (default /opt/n0d3/n0d3.jar) and N0D3_JAVA_OPTS (default: the flags below) override the two parts.
set -u
jar=${N0D3_JAR:-/opt/n0d3/n0d3.jar}
# serial GC, C1 only, heap bounded by the container's memory limit
opts=${N0D3_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=50}

# one shell word for eval: 'text', a ' inside as '\'' (no sed: the image has a shell and coreutils)
q() {
  rest=$1 out=""
  while :; do
    case $rest in
      *"'"*) out="$out${rest%%"'"*}'\\''" rest=${rest#*"'"} ;;
      *) break ;;
    esac
  done
  printf "'%s'" "$out$rest"
}

if [ "${1:-}" = telemetry ] && [ "${2:-}" = --daemon ]; then
  shift 2
  # the options that say where the codex and the state dir are, for the first run; the arguments go round once
  # ("$@" ends as it began) while they are picked out
  pre="" n=$#
  while [ "$n" -gt 0 ]; do
    a=$1
    shift
    n=$((n - 1))
    set -- "$@" "$a"
    case $a in
      -c | --config | --state-dir)
        if [ "$n" -gt 0 ]; then
          pre="$pre $(q "$a") $(q "$1")"
          set -- "$@" "$1"
          shift
          n=$((n - 1))
        fi
        ;;
      -c?* | --config=* | --state-dir=*) pre="$pre $(q "$a")" ;;
    esac
  done
  # shellcheck disable=SC2086 # $opts: JVM flags, split on purpose
  eval "java $opts -jar \"\$jar\" telemetry --once --output - --quiet $pre" >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  exec java $opts -jar "$jar" telemetry --daemon "$@"
fi
# shellcheck disable=SC2086
exec java $opts -jar "$jar" "$@"
