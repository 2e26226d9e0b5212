#!/usr/bin/env bats
# tests/lab/lab.sh against a real one-node lab: up, ping, exec, status, idempotent up, down, clean.

load test_helper
load lab_helper

setup_file() { lab_up --nodes 1; }
teardown_file() {
  # labs a failed test may have left (see the --id-from test)
  local extra
  while read -r extra; do
    [ -n "$extra" ] && { "$LAB_SH" down --id "$extra" || true; }
  done < <(cat "$BATS_FILE_TMPDIR/extra_labs" 2>/dev/null)
  lab_down
}
setup() { n0d3_common_setup; lab_require_up; }

@test "up: node1's dockerd answers /_ping on its socket" {
  run curl -s --max-time 5 --unix-socket "$LAB_NODE1_SOCK" http://docker/_ping
  assert_success "OK"
}

@test "up: node1's dockerd reports the node's own hostname" {
  run sh -c "curl -s --max-time 5 --unix-socket '$LAB_NODE1_SOCK' http://docker/v1.41/info | jq -r .Name"
  assert_success "node1"
}

# shellcheck disable=SC2016 # the single-quoted script is expanded by the node's shell, on purpose
@test "exec: runs in node1's network and uts namespaces with DOCKER_HOST set" {
  run lab_exec 1 sh -c 'hostname; ip -4 -o addr show dev eth0 | awk "{print \$4}"; echo "$DOCKER_HOST"'
  assert_success
  assert_line 0 "node1"
  assert_line 1 "$LAB_NODE1_IP/24"
  assert_line 2 "unix://$LAB_NODE1_SOCK"
}

@test "exec: passes the command's exit status through" {
  run lab_exec 1 sh -c 'exit 7'
  assert_failure 7
}

@test "status: every daemon ok, exit 0" {
  run "$LAB_SH" status --id "$LAB_ID"
  assert_success
  assert_output_contains "node1  ok"
}

@test "up again with the same options changes nothing and says so" {
  run "$LAB_SH" up --id "$LAB_ID" --nodes 1
  assert_success
  assert_output_contains "already up with these options"
  assert_output_contains "LAB_NODE1_IP=$LAB_NODE1_IP"
}

@test "up --id of a lab that another live process owns, with other options: exit 3" {
  run "$LAB_SH" up --id "$LAB_ID" --nodes 2
  assert_failure 3
  assert_output_contains "lab $LAB_ID is in use by live pid"
}

@test "up --id-from skips an owned id; a lab whose owner died is reclaimed by the next up" {
  sleep 300 &
  local owner=$!
  run "$LAB_SH" up --id-from "$LAB_ID" --nodes 1 --owner "$owner"
  assert_success
  local other; other=$(sed -n 's/^LAB_ID=//p' <<<"$output")
  [ -n "$other" ] && echo "$other" >>"$BATS_FILE_TMPDIR/extra_labs"
  kill "$owner"; wait "$owner" 2>/dev/null || true
  [ -n "$other" ] && [ "$other" != "$LAB_ID" ] || flunk "expected an id other than $LAB_ID, got '$other'"
  run "$LAB_SH" up --id "$other" --nodes 1 --owner $$
  assert_success
  assert_output_contains "lab $other left behind by pid $owner, which is gone: tearing it down first"
  run "$LAB_SH" down --id "$other"
  assert_success
  run "$LAB_SH" check-clean --id "$other"
  assert_success
}

@test "binfmt: a lab registers qemu-aarch64/qemu-arm and its down restores binfmt_misc to what it was before" {
  local reg=/proc/sys/fs/binfmt_misc before after
  binfmt_state() { local e; for e in register qemu-aarch64 qemu-arm; do [ -e "$reg/$e" ] && echo "$e"; done; return 0; }
  before=$(binfmt_state | paste -sd' ')
  run "$LAB_SH" up --id-from "$LAB_ID" --nodes 1 --binfmt --owner $$
  assert_success
  local other; other=$(sed -n 's/^LAB_ID=//p' <<<"$output")
  [ -n "$other" ] && echo "$other" >>"$BATS_FILE_TMPDIR/extra_labs"
  [ -e "$reg/qemu-aarch64" ] && [ -e "$reg/qemu-arm" ] || flunk "lab $other is up with --binfmt, but qemu-aarch64/qemu-arm are not registered"
  run "$LAB_SH" down --id "$other"
  assert_success
  after=$(binfmt_state | paste -sd' ')
  [ "$after" = "$before" ] || flunk "binfmt_misc before up: '$before', after down: '$after' ($output)"
}

@test "down: removes everything; check-clean and the system agree" {
  run "$LAB_SH" down --id "$LAB_ID"
  assert_success
  run "$LAB_SH" check-clean --id "$LAB_ID"
  assert_success
  run sh -c "ip netns list | grep -c '^n0d3-$LAB_ID-'"
  assert_output "0"
  run ip link show "n0d3b$LAB_ID"
  assert_failure
  run sh -c "iptables -w -S FORWARD | grep -c 'n0d3b$LAB_ID '"
  assert_output "0"
  run grep -c " $LAB_DIR" /proc/self/mountinfo
  assert_output "0"
  # the pattern comes from a file, so that grep's own command line does not match it
  printf '%s/\n' "$LAB_DIR" >"$BATS_TEST_TMPDIR/pattern"
  run sh -c "grep -lsaF -f '$BATS_TEST_TMPDIR/pattern' /proc/[0-9]*/cmdline | wc -l"
  assert_output "0"
  [ ! -e "$LAB_DIR" ]
  run curl -s --max-time 2 --unix-socket "$LAB_NODE1_SOCK" http://docker/_ping
  assert_failure
}
