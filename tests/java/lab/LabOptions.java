package lab;

import java.time.Duration;

/**
 * What a lab should consist of: {@code nodes} dockerd nodes, and optionally the loopback registry,
 * QEMU binfmt (arm64, armv7), the host daemon (root namespace, for buildx) and the busybox image
 * ({@code n0d3-lab/busybox:latest}) imported into every daemon. {@code id} &gt; 0 asks for exactly
 * that lab id; 0 lets lab.sh pick the first free id from {@code preferredId} on. {@code dockerdHosts}:
 * lab.sh's {@code --dockerd-host [K=]URL}, one more {@code -H URL} for node K's dockerd (every node's
 * without {@code K=}), e.g. {@code 2=tcp://0.0.0.0:2375}.
 */
public record LabOptions(
        int nodes,
        int id,
        int preferredId,
        boolean registry,
        boolean binfmt,
        boolean hostDaemon,
        boolean busybox,
        Duration startTimeout,
        java.util.List<String> dockerdHosts) {

    public LabOptions {
        if (nodes < 1 || nodes > 20) throw new IllegalArgumentException("lab nodes: expected 1..20, got " + nodes);
        if (id < 0 || id > 200)
            throw new IllegalArgumentException("lab id: expected 1..200 (or 0 = automatic), got " + id);
        if (preferredId < 1 || preferredId > 200)
            throw new IllegalArgumentException("lab preferred id: expected 1..200, got " + preferredId);
        dockerdHosts = java.util.List.copyOf(dockerdHosts);
    }

    /** {@code nodes} nodes, automatic id preferring the one derived from {@code owner}'s name. */
    public static LabOptions nodes(int nodes, Class<?> owner) {
        return new LabOptions(
                nodes,
                0,
                idFor(owner.getName()),
                false,
                false,
                false,
                false,
                Duration.ofSeconds(60),
                java.util.List.of());
    }

    public LabOptions withId(int exactId) {
        return new LabOptions(
                nodes,
                exactId,
                exactId == 0 ? preferredId : exactId,
                registry,
                binfmt,
                hostDaemon,
                busybox,
                startTimeout,
                dockerdHosts);
    }

    public LabOptions withRegistry() {
        return new LabOptions(nodes, id, preferredId, true, binfmt, hostDaemon, busybox, startTimeout, dockerdHosts);
    }

    public LabOptions withBinfmt() {
        return new LabOptions(nodes, id, preferredId, registry, true, hostDaemon, busybox, startTimeout, dockerdHosts);
    }

    public LabOptions withHostDaemon() {
        return new LabOptions(nodes, id, preferredId, registry, binfmt, true, busybox, startTimeout, dockerdHosts);
    }

    public LabOptions withBusybox() {
        return new LabOptions(nodes, id, preferredId, registry, binfmt, hostDaemon, true, startTimeout, dockerdHosts);
    }

    public LabOptions withStartTimeout(Duration t) {
        return new LabOptions(nodes, id, preferredId, registry, binfmt, hostDaemon, busybox, t, dockerdHosts);
    }

    /** One more {@code -H url} for node {@code node}'s dockerd (0: every node's), e.g. tcp://0.0.0.0:2375. */
    public LabOptions withDockerdHost(int node, String url) {
        java.util.List<String> h = new java.util.ArrayList<>(dockerdHosts);
        h.add(node == 0 ? url : node + "=" + url);
        return new LabOptions(nodes, id, preferredId, registry, binfmt, hostDaemon, busybox, startTimeout, h);
    }

    /** A stable id in 20..200 for a name (the test class), so classes spread over the id space. */
    public static int idFor(String name) {
        return 20 + Math.floorMod(name.hashCode(), 181);
    }

    /** The lab.sh flags other than the id and the owner. */
    java.util.List<String> flags() {
        java.util.List<String> f = new java.util.ArrayList<>(java.util.List.of("--nodes", Integer.toString(nodes)));
        if (registry) f.add("--registry");
        if (binfmt) f.add("--binfmt");
        if (hostDaemon) f.add("--host-daemon");
        if (busybox) f.add("--busybox");
        for (String h : dockerdHosts) f.addAll(java.util.List.of("--dockerd-host", h));
        return f;
    }
}
