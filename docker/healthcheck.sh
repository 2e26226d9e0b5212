#!/bin/bash
# HEALTHCHECK of the node image: exit 0 when the telemetry daemon answers GET $N0D3_HEALTH_PATH with
# HTTP 200 on $N0D3_HEALTH_ADDR (host:port), else 1. Plain bash (/dev/tcp), so no curl or JVM start
# every 30 seconds on a Raspberry Pi.
set -u
addr=${N0D3_HEALTH_ADDR:-127.0.0.1:10464}
path=${N0D3_HEALTH_PATH:-/health}
host=${addr%:*}
port=${addr##*:}
[ "$host" = 0.0.0.0 ] && host=127.0.0.1
{ exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || { echo "unhealthy: nothing listens on $host:$port"; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$addr" >&3
if ! IFS=' ' read -r -t 5 _ code _ <&3; then
  echo "unhealthy: no answer from $host:$port within 5s"
  exit 1
fi
exec 3<&-
if [ "$code" = 200 ]; then
  echo "healthy: GET $path -> 200"
  exit 0
fi
echo "unhealthy: GET $path -> ${code:-no status}"
exit 1
