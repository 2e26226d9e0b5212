#!/usr/bin/env bats
# The lab's build side, as the buildx tests will use it: the host daemon builds foreign-arch images
# (RUN steps under QEMU through binfmt), pushes them to the loopback registry, and buildx
# imagetools joins them into a manifest list. HOME is a fresh directory: buildx is found system-wide.

load test_helper
load lab_helper

setup_file() { lab_up --nodes 1 --registry --host-daemon --binfmt; }
teardown_file() { lab_down; }
setup() {
  n0d3_common_setup
  lab_require_up
  mkdir -p ctx
  cp "$LAB_BUSYBOX_DIR/amd64/busybox" ctx/busybox-amd64
  cp "$LAB_BUSYBOX_DIR/arm64/busybox" ctx/busybox-arm64
  cp "$LAB_BUSYBOX_DIR/armv7/busybox" ctx/busybox-arm
  cat >ctx/Dockerfile <<'DOCKERFILE'
FROM scratch
ARG TARGETARCH
COPY busybox-${TARGETARCH} /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox uname -m > /arch"]
CMD ["/bin/busybox", "cat", "/arch"]
DOCKERFILE
}

@test "buildx on the host daemon runs an arm64 RUN step under QEMU and pushes to the lab registry" {
  run lab_exec host docker buildx build --platform linux/arm64 -t "$LAB_REGISTRY/lab-bb:arm64" --push ctx
  assert_success
  run curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$LAB_REGISTRY/v2/lab-bb/manifests/arm64"
  assert_output "200"
  # --network none: no dependence on the host's net.ipv4.ip_forward (at 0, docker run warns on stderr)
  run lab_exec host docker run --rm --network none --platform linux/arm64 "$LAB_REGISTRY/lab-bb:arm64"
  assert_success "aarch64"
}

@test "per-platform pushes joined by imagetools into one manifest list" {
  run lab_exec host docker buildx build --platform linux/amd64 -t "$LAB_REGISTRY/lab-bb:amd64" --push ctx
  assert_success
  run lab_exec host docker buildx build --platform linux/arm/v7 -t "$LAB_REGISTRY/lab-bb:armv7" --push ctx
  assert_success
  run lab_exec host docker buildx imagetools create -t "$LAB_REGISTRY/lab-bb:multi" "$LAB_REGISTRY/lab-bb:amd64" "$LAB_REGISTRY/lab-bb:armv7"
  assert_success
  run sh -c "curl -s -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.index.v1+json' \
    http://$LAB_REGISTRY/v2/lab-bb/manifests/multi | jq -r '.manifests[].platform | .architecture + (if .variant then \"/\" + .variant else \"\" end)' | sort | paste -sd' '"
  assert_success "amd64 arm/v7"
}
