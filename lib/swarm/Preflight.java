package lib.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lib.cli.Log;
import lib.docker.DockerApiException;
import lib.docker.DockerClient;
import lib.json.Json;

/**
 * Checks run before every join, and alone with --check: the Docker daemon and its API version,
 * 2377/tcp (cluster management) and 7946/tcp (gossip) of the chosen manager from the chosen
 * address, the underlay MTU, and the clock skew against the management node where one answers.
 */
public final class Preflight {
    /** Below this API version the Engine API calls used here are not all there (dockerd 20.10). */
    public static final String MIN_API = "1.41";

    static final Duration SKEW_WARN = Duration.ofSeconds(10);
    /** swarmkit backdates node certificates by one hour: beyond that skew they are not yet valid. */
    static final Duration SKEW_FAIL = Duration.ofHours(1);

    private Preflight() {}

    public record Check(String name, String status, String detail) {
        public boolean failed() {
            return status.equals("fail");
        }

        public String line() {
            return String.format("%-4s %-14s %s", status, name, detail);
        }
    }

    /** Logs each check as it is made and collects them. */
    public static final class Results {
        private final List<Check> checks = new ArrayList<>();
        private final boolean log;

        /** Checks logged on stderr as they are made (a join's progress). */
        public Results() {
            this(true);
        }

        /** {@code log} false: collected only (--check prints them as its result). */
        public Results(boolean log) {
            this.log = log;
        }

        public Check add(Check c) {
            checks.add(c);
            if (!log) return c;
            String line = "check " + c.line();
            switch (c.status()) {
                case "fail" -> Log.error(line);
                case "warn" -> Log.warn(line);
                default -> Log.info(line);
            }
            return c;
        }

        public List<Check> all() {
            return List.copyOf(checks);
        }

        public List<Check> failures() {
            return checks.stream().filter(Check::failed).toList();
        }

        public ArrayNode toJson() {
            ArrayNode a = Json.array();
            for (Check c : checks)
                a.addObject().put("check", c.name()).put("status", c.status()).put("detail", c.detail());
            return a;
        }
    }

    /** The daemon answers and speaks API {@value #MIN_API} or later. Throws (exit 1) when it is not there at all. */
    public static Check docker(DockerClient docker) {
        JsonNode v;
        try {
            v = docker.version();
        } catch (DockerApiException e) {
            throw lib.cli.N0d3Exception.failure("Docker is not running or not reachable: " + e.getMessage());
        }
        String api = v.path("ApiVersion").asText("?");
        String detail = "Docker Engine " + v.path("Version").asText("?") + ", API " + api + " at "
                + docker.host().display();
        if (compareVersions(api, MIN_API) < 0)
            return new Check("docker", "fail", detail + ": API " + MIN_API + " or later is needed");
        return new Check("docker", "ok", detail);
    }

    /** Cluster management and gossip ports of the manager, connected to from the advertise address. */
    public static List<Check> manager(ManagerAddress m, AddressSelector.Selection from, Duration timeout) {
        InetAddress src = from != null && from.iface() != null ? from.address() : null;
        String via = src == null ? "" : " from " + src.getHostAddress();
        List<Check> out = new ArrayList<>();
        Probe.Result r = Probe.tcp(m.host(), m.port(), src, timeout);
        out.add(new Check("manager-" + m.port(), r.ok() ? "ok" : "fail", m + via + ": " + r.describe()));
        Probe.Result g = Probe.tcp(m.host(), 7946, src, timeout);
        out.add(new Check(
                "gossip-7946",
                g.ok() ? "ok" : "fail",
                (m.ipv6() ? "[" + m.host() + "]" : m.host()) + ":7946/tcp" + via + ": " + g.describe()
                        + (g.ok()
                                ? ""
                                : " (node communication; 7946/udp and 4789/udp cannot be probed, open them too)")));
        return out;
    }

    /** The underlay MTU and the overlay MTU it gives. */
    public static Check mtu(AddressSelector.Selection dataPath) {
        if (dataPath == null || dataPath.iface() == null)
            return new Check("mtu", "skip", "the data-path address is not on this host: underlay MTU not visible");
        int u = dataPath.iface().mtu();
        int o = u - OverlayNetworks.VXLAN_OVERHEAD;
        String d = dataPath.iface().name() + " MTU " + u + ": overlay MTU " + o;
        if (o < 1280)
            return new Check(
                    "mtu", "warn", d + " is below 1280 (the IPv6 minimum): containers may see broken large packets");
        return new Check("mtu", "ok", d);
    }

    /** Skew between this host's clock and the management node's Date header, where one was seen. */
    public static Check clock(Optional<MgmtManagers.Answer> mgmt) {
        if (mgmt.isEmpty() || mgmt.get().serverDate().isEmpty()) {
            return new Check("clock", "skip", "no management node answered with a Date header: clock skew not visible");
        }
        Instant server = mgmt.get().serverDate().get();
        Duration skew = Duration.between(server, mgmt.get().receivedAt()).abs();
        long s = skew.toSeconds();
        String d = "skew against the management node " + (s <= 1 ? "at most 1s" : s + "s");
        if (skew.compareTo(SKEW_FAIL) > 0)
            return new Check(
                    "clock",
                    "fail",
                    d + ": more than 1h, swarm TLS certificates would not be valid yet; fix the time (NTP)");
        if (skew.compareTo(SKEW_WARN) > 0) return new Check("clock", "warn", d + ": more than 10s; enable NTP");
        return new Check("clock", "ok", d);
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
