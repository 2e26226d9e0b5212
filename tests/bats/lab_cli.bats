#!/usr/bin/env bats
# tests/lab/lab.sh and install.sh refuse bad input with a one-line reason and exit 2, and say what
# is missing when the lab cannot run (exit 3). No lab is started here.

load test_helper

@test "lab.sh without a command: usage error, exit 2" {
  run "$N0D3_ROOT/tests/lab/lab.sh"
  assert_failure 2
  assert_output_contains "no command given"
}

@test "lab.sh with an unknown command: exit 2 naming it" {
  run "$N0D3_ROOT/tests/lab/lab.sh" frobnicate
  assert_failure 2
  assert_output_contains "unknown command 'frobnicate'"
}

@test "lab.sh up --id out of range: exit 2 naming --id" {
  run "$N0D3_ROOT/tests/lab/lab.sh" up --id 0 --nodes 1
  assert_failure 2
  assert_output_contains "--id: expected an integer 1..200, got '0'"
}

@test "lab.sh up --nodes out of range: exit 2 naming --nodes" {
  run "$N0D3_ROOT/tests/lab/lab.sh" up --id 5 --nodes 99
  assert_failure 2
  assert_output_contains "--nodes: expected 1..20, got '99'"
}

@test "lab.sh up with an unknown option: exit 2 naming it" {
  run "$N0D3_ROOT/tests/lab/lab.sh" up --id 5 --nodes 1 --bogus
  assert_failure 2
  assert_output_contains "unknown option '--bogus'"
}

@test "lab.sh exec without a command: exit 2" {
  run "$N0D3_ROOT/tests/lab/lab.sh" exec --id 5 --node 1
  assert_failure 2
  assert_output_contains "no command given"
}

@test "lab.sh down with neither --id, --all nor --stale: exit 2" {
  run "$N0D3_ROOT/tests/lab/lab.sh" down
  assert_failure 2
}

@test "lab.sh --help prints the usage" {
  run "$N0D3_ROOT/tests/lab/lab.sh" --help
  assert_success
  assert_output_contains "usage: tests/lab/lab.sh COMMAND"
}

@test "lab.sh doctor as a non-root user: exit 3 saying so" {
  [ "$(id -u)" = 0 ] || skip "needs root to switch to an unprivileged user"
  run setpriv --reuid=65534 --regid=65534 --clear-groups "$N0D3_ROOT/tests/lab/lab.sh" doctor
  assert_failure 3
  assert_output_contains "not root"
}

@test "install.sh with an unknown option: exit 2 naming it" {
  run "$N0D3_ROOT/tests/lab/install.sh" --bogus
  assert_failure 2
  assert_output_contains "unknown option '--bogus'"
}

@test "lab.sh up --dockerd-host for a node the lab does not have: exit 2 naming the option" {
  run "$N0D3_ROOT/tests/lab/lab.sh" up --id 5 --nodes 2 --dockerd-host 3=tcp://0.0.0.0:2375
  assert_failure 2
  assert_output_contains "--dockerd-host: expected [K=]URL with K in 1..2, got '3=tcp://0.0.0.0:2375'"
}

@test "lab.sh up --dockerd-host with a URL dockerd does not take: exit 2" {
  run "$N0D3_ROOT/tests/lab/lab.sh" up --id 5 --nodes 1 --dockerd-host http://0.0.0.0:2375
  assert_failure 2
  assert_output_contains "--dockerd-host: expected tcp://HOST:PORT or unix:///PATH, got 'http://0.0.0.0:2375'"
}
