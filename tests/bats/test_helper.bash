# shellcheck disable=SC2154 # status, output and lines are set by bats' run
# Common setup for every bats file, in the style of rbenv's test/test_helper.bash:
#
#   load test_helper
#   setup() { n0d3_common_setup; }        # (the default setup below does just this)
#
# Each test gets its own HOME and a PATH of system directories plus $BATS_TEST_TMPDIR/bin (put
# per-test stubs there), and none of the project's configuration variables leak in from the
# caller's environment. N0D3_ROOT is the checkout.

N0D3_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
export N0D3_ROOT

n0d3_common_setup() {
  export HOME="$BATS_TEST_TMPDIR/home"
  mkdir -p "$HOME" "$BATS_TEST_TMPDIR/bin"
  export PATH="$BATS_TEST_TMPDIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  export NO_COLOR=1
  # the configuration overrides the scripts read (codex.yaml + env): never from the caller
  unset MGMT_NODE_URL API_TOKEN API_TOKEN_FILE SWARM_JOIN_TOKEN SWARM_JOIN_TOKEN_FILE SWARM_MANAGER_IP \
        ZEROTIER_NETWORK_ID ZEROTIER_API_TOKEN TAILSCALE_AUTH_KEY TAILSCALE_AUTH_KEY_FILE NODE_NAME \
        TELEMETRY_INTERVAL REGISTRY IMAGE_NAME VERSION DOCKER_HOST DOCKER_CONFIG DOCKER_CONTEXT
  cd "$BATS_TEST_TMPDIR" || return 1
}

setup() {
  n0d3_common_setup
}

flunk() {
  { if [ $# -eq 0 ]; then cat -; else echo "$@"; fi; } >&2
  return 1
}

assert_success() {
  if [ "$status" -ne 0 ]; then
    flunk "command failed with exit status $status" $'\n'"output: $output"
  elif [ $# -gt 0 ]; then
    assert_output "$1"
  fi
}

assert_failure() { # [expected status] [expected output]
  if [ "$status" -eq 0 ]; then
    flunk "expected failed exit status" $'\n'"output: $output"
  elif [ $# -gt 0 ] && [ -n "$1" ] && [ "$status" -ne "$1" ]; then
    flunk "expected exit status $1, got $status" $'\n'"output: $output"
  elif [ $# -gt 1 ]; then
    assert_output "$2"
  fi
}

assert_equal() {
  if [ "$1" != "$2" ]; then
    { echo "expected: $1"
      echo "actual:   $2"
    } | flunk
  fi
}

assert_output() {
  local expected
  if [ $# -eq 0 ]; then expected="$(cat -)"; else expected="$1"; fi
  assert_equal "$expected" "$output"
}

assert_output_contains() {
  [[ "$output" == *"$1"* ]] || flunk "expected output to contain: $1" $'\n'"output: $output"
}

refute_output_contains() {
  [[ "$output" != *"$1"* ]] || flunk "expected output not to contain: $1" $'\n'"output: $output"
}

assert_line() { # assert_line TEXT | assert_line INDEX TEXT
  if [ $# -eq 2 ]; then
    assert_equal "$2" "${lines[$1]:-}"
  else
    local line
    for line in "${lines[@]}"; do [ "$line" = "$1" ] && return 0; done
    flunk "expected line '$1'" $'\n'"output: $output"
  fi
}

refute_line() {
  local line
  for line in "${lines[@]}"; do
    [ "$line" != "$1" ] || flunk "expected no line '$1'" $'\n'"output: $output"
  done
}
