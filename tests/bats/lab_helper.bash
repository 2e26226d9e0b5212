# The Docker test lab for bats files (tests/lab/lab.sh; see tests/lab/README.md).
#
#   load test_helper
#   load lab_helper
#
#   setup_file()    { lab_up --nodes 3 --registry; }     # any lab.sh up options but --id-from/--owner
#   teardown_file() { lab_down; }
#   setup()         { n0d3_common_setup; lab_require_up; }
#
#   @test "..." {
#     run lab_exec 2 docker info --format '{{.Name}}'     # inside node2's namespaces, DOCKER_HOST = node2
#     assert_success "node2"
#   }
#
# lab_up exports every variable of `lab.sh env` (LAB_ID, LAB_NODE1_IP, LAB_NODE1_SOCK, LAB_REGISTRY, ...)
# to the tests. The id is the first free one from a hash of the .bats file name (20..200) unless
# --id N is given; the lab is owned by the bats process of the file, so a lab left by a killed run is
# reclaimed by the next `lab.sh up` of that id or `lab.sh down --stale`.
# When the lab cannot run here (not root, packages missing) every test of the file is skipped with
# the reason, except with N0D3_REQUIRE_LAB=1, where setup_file fails.

LAB_SH="$N0D3_ROOT/tests/lab/lab.sh"

# lab_doctor [up options]: prints why the lab cannot run, returns non-zero then
lab_doctor() {
  local flags=() a
  for a in "$@"; do
    case "$a" in --registry|--binfmt|--host-daemon|--busybox) flags+=("$a") ;; esac
  done
  "$LAB_SH" doctor "${flags[@]}" 2>&1
}

lab_up() {
  local reason
  if ! reason=$(lab_doctor "$@"); then
    reason=$(printf '%s' "$reason" | paste -sd';' | sed 's/;/; /g')
    if [ "${N0D3_REQUIRE_LAB:-}" = 1 ]; then
      echo "the Docker lab is required (N0D3_REQUIRE_LAB=1) but cannot run here: $reason" >&2
      return 1
    fi
    export LAB_SKIP="Docker lab unavailable: $reason (N0D3_REQUIRE_LAB=1 makes this a failure)"
    return 0
  fi
  local idopt=() a
  for a in "$@"; do [ "$a" = --id ] && idopt=(); done
  if [[ " $* " != *" --id "* ]]; then
    idopt=(--id-from $(( $(printf '%s' "${BATS_TEST_FILENAME##*/}" | cksum | cut -d' ' -f1) % 181 + 20 )))
  fi
  local out line
  out=$("$LAB_SH" up "${idopt[@]}" --owner $$ "$@") || { echo "lab_up: lab.sh up ${idopt[*]} $* failed" >&2; return 1; }
  while IFS= read -r line; do
    [[ "$line" =~ ^LAB_[A-Z0-9_]+= ]] && eval "export $line"
  done <<<"$out"
  [ -n "${LAB_ID:-}" ] || { echo "lab_up: lab.sh up printed no LAB_ID" >&2; return 1; }
}

# teardown_file: tears the lab down; fails (listing them) when anything is left behind
lab_down() {
  [ -n "${LAB_ID:-}" ] || return 0
  "$LAB_SH" down --id "$LAB_ID"
}

# setup: skips the test when lab_up found no lab
lab_require_up() {
  [ -z "${LAB_SKIP:-}" ] || skip "$LAB_SKIP"
  [ -n "${LAB_ID:-}" ] || flunk "no lab: call lab_up in setup_file"
}

# lab_exec K|host CMD...: CMD in node K's network and uts namespaces, DOCKER_HOST = node K's daemon
lab_exec() {
  local node=$1; shift
  "$LAB_SH" exec --id "$LAB_ID" --node "$node" -- "$@"
}

# lab_docker K ARGS...: the docker CLI against node K, from inside node K
lab_docker() {
  local node=$1; shift
  lab_exec "$node" docker "$@"
}
