# The PR-CYBR-N0D3 node image: the project's scripts (install, swarm-join, telemetry, build-amd,
# build-arm) in one runnable jar on a Java 17 runtime, for linux/amd64, linux/arm64 and linux/arm/v7.
# Built by build_amd.java and build_arm.java (which add the OCI labels and the tags); the jar must be
# built first:   mvn -B -q package -DskipTests
#
# Runs as the unprivileged user n0d3 (uid 10001). Its default command is the telemetry daemon, with
# a HEALTHCHECK on the daemon's /health. As a swarm global service (one task per node), see
# .specify/tasks/SOP-007-update-and-maintenance.md, "Building and publishing node images":
#
#   docker service create --name pr-cybr-telemetry --mode global \
#     --hostname '{{.Node.Hostname}}' \
#     --mount type=bind,src=/var/run/docker.sock,dst=/var/run/docker.sock,readonly \
#     --mount type=volume,src=pr-cybr-telemetry,dst=/var/lib/pr-cybr/telemetry \
#     --group "$(stat -c %g /var/run/docker.sock)" \
#     --env MGMT_NODE_URL=https://mgmt.example:8443 \
#     --secret source=api_token,uid=10001,gid=10001,mode=0400 --env API_TOKEN_FILE=/run/secrets/api_token \
#     ghcr.io/pr-cybr/n0d3:VERSION
#
# JRE_IMAGE: any image with `java` 17+ on PATH, a POSIX shell, bash (for the health check) and coreutils,
# for every platform built. eclipse-temurin:17-jre-jammy is published for amd64, arm64/v8 and arm/v7;
# the lab builds its own from Debian packages (tests/lab/jre-rootfs.sh).
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
FROM ${JRE_IMAGE}

ARG N0D3_UID=10001
RUN set -eu; \
    mkdir -p /opt/n0d3 /etc/pr-cybr /var/lib/pr-cybr/telemetry; \
    grep -q "^n0d3:" /etc/passwd || echo "n0d3:x:${N0D3_UID}:${N0D3_UID}:PR-CYBR-N0D3:/var/lib/pr-cybr:/usr/sbin/nologin" >>/etc/passwd; \
    grep -q "^n0d3:" /etc/group || echo "n0d3:x:${N0D3_UID}:" >>/etc/group; \
    chown -R "${N0D3_UID}:${N0D3_UID}" /var/lib/pr-cybr

COPY docker/healthcheck.sh /usr/local/bin/n0d3-healthcheck
COPY docker/entrypoint.sh /usr/local/bin/n0d3-entrypoint
COPY target/n0d3.jar /opt/n0d3/n0d3.jar

# The telemetry daemon's address (codex.yaml endpoints.metrics.listen) and health path, for the check.
ENV N0D3_HEALTH_ADDR=127.0.0.1:10464 \
    N0D3_HEALTH_PATH=/health

USER ${N0D3_UID}:${N0D3_UID}
WORKDIR /var/lib/pr-cybr
VOLUME ["/var/lib/pr-cybr/telemetry"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/n0d3-healthcheck"]

# java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=50 -jar /opt/n0d3/n0d3.jar "$@" (a small, quick
# JVM: serial GC, C1 only, heap bounded by the container's memory limit); before the telemetry daemon, one
# `telemetry --once` that writes the bound codex it starts from (docker/entrypoint.sh says why).
ENTRYPOINT ["/usr/local/bin/n0d3-entrypoint"]
CMD ["telemetry", "--daemon"]
