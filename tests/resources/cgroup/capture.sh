#!/usr/bin/env bash
# Copies what ContainerCgroups reads for running containers into a fixture tree laid out like /:
# /proc/self/mountinfo (cgroup lines and /), /proc/stat, /proc/meminfo, boot_id, cpu/online, and per
# container /proc/PID/{cgroup,stat,net/dev} and the files of each of its cgroup directories.
# usage (root, DOCKER_HOST at a daemon): tests/resources/cgroup/capture.sh DEST CONTAINER...
# tests/resources/cgroup/v1-lab was made this way from the lab (see README.md there).
set -euo pipefail
dest=$1; shift
mkdir -p "$dest/proc/self" "$dest/proc/sys/kernel/random" "$dest/sys/devices/system/cpu"
awk '$5 == "/" || $5 ~ "^/sys/fs/cgroup(/|$)"' /proc/self/mountinfo >"$dest/proc/self/mountinfo"
cp /proc/stat /proc/meminfo "$dest/proc/"
cp /proc/sys/kernel/random/boot_id "$dest/proc/sys/kernel/random/"
cp /sys/devices/system/cpu/online "$dest/sys/devices/system/cpu/"
for c in "$@"; do
  pid=$(docker inspect -f '{{.State.Pid}}' "$c")
  mkdir -p "$dest/proc/$pid/net"
  cp "/proc/$pid/cgroup" "/proc/$pid/stat" "$dest/proc/$pid/"
  cp "/proc/$pid/net/dev" "$dest/proc/$pid/net/"
  while IFS=: read -r _ ctl path; do
    case ",$ctl," in
      *,cpuacct,*|*,memory,*|*,blkio,*|*,pids,*) ;;
      *) continue ;;
    esac
    # the mount point of that controller (the first visible one)
    mp=$(awk -v c="$ctl" '$0 ~ " - cgroup " { n = split($NF, o, ","); for (i = 1; i <= n; i++) if ("," c "," ~ "," o[i] ",") { print $5; exit } }' /proc/self/mountinfo)
    [ -n "$mp" ] || continue
    mkdir -p "$dest$mp$path"
    for f in cpuacct.usage cpuacct.stat memory.usage_in_bytes memory.limit_in_bytes memory.stat \
             blkio.throttle.io_service_bytes_recursive pids.current; do
      [ -r "$mp$path/$f" ] && cp "$mp$path/$f" "$dest$mp$path/"
    done
  done <"/proc/$pid/cgroup"
done
