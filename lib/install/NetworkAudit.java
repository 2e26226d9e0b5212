package lib.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import lib.host.ListeningSockets;
import lib.host.ListeningSockets.Socket;
import lib.json.Json;
import lib.overlay.OverlaySettings;
import lib.swarm.NetIface;

/**
 * The network audit of a node: what listens on which address in the network namespace this runs in
 * (/proc/net/tcp{,6} and udp{,6}, mapped to processes through /proc/PID/fd), one row per rule:
 * <ul>
 * <li>{@code dockerd-api}: dockerd serving the Engine API on TCP without TLS client verification
 *     ({@code --tlsverify}) fails: whoever reaches the port is root on the host (2375 by convention);</li>
 * <li>{@code telemetry-listen}: the telemetry daemon listens on loopback only, unless its address is
 *     configured ({@code endpoints.metrics.listen} or its {@code --listen});</li>
 * <li>{@code swarm-ports}: with an overlay configured, 2377/tcp, 7946/tcp+udp and 4789/udp bound beyond
 *     the overlay's addresses are a warning (a firewall the audit cannot see may still close them);</li>
 * <li>{@code traefik-dashboard}: see {@link TraefikAudit}.</li>
 * </ul>
 */
public final class NetworkAudit {
    public static final String CHECK = "network";
    static final Set<Integer> SWARM_TCP = Set.of(2377, 7946);
    static final Set<Integer> SWARM_UDP = Set.of(7946, 4789);

    private final Path proc;
    private final Path fs;
    private final List<Socket> sockets;
    private final List<NetIface> ifaces;

    /**
     * @param proc    the /proc to read processes from
     * @param fs      the file system dockerd's configuration is read from ("/" on a node)
     * @param sockets what listens (from {@link ListeningSockets})
     * @param ifaces  the interfaces of this network namespace
     */
    public NetworkAudit(Path proc, Path fs, List<Socket> sockets, List<NetIface> ifaces) {
        this.proc = proc;
        this.fs = fs;
        this.sockets = sockets;
        this.ifaces = ifaces;
    }

    /** The audit of the namespace this process runs in. */
    public static NetworkAudit system() {
        return new NetworkAudit(Path.of("/proc"), Path.of("/"), ListeningSockets.system(), NetIface.system());
    }

    public void run(InstallContext ctx, OverlaySettings overlays, VerificationTable out) {
        dockerdApi(out);
        telemetryListen(
                ctx.settings().codex().endpoints() == null
                                || ctx.settings().codex().endpoints().metrics() == null
                        ? null
                        : ctx.settings().codex().endpoints().metrics().listen(),
                out);
        swarmPorts(overlays.zerotierEnabled() || overlays.tailscaleEnabled(), out);
        new TraefikAudit(sockets).run(ctx.docker(), out);
    }

    // ------------------------------------------------------------------ dockerd

    /** dockerd's Engine API on TCP: only with --tlsverify. */
    void dockerdApi(VerificationTable out) {
        List<Integer> daemons = sameNamespace("dockerd");
        if (noneRuns(daemons, "dockerd-api", "no dockerd", out)) return;
        List<String> bad = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (int pid : daemons) {
            DockerdConfig c = DockerdConfig.of(ListeningSockets.cmdline(proc, pid), environ(pid), fs);
            for (Socket s : sockets) {
                if (s.pid() != pid || !s.proto().equals("tcp") || !c.apiPorts().contains(s.port())) continue;
                if (c.tlsVerify()) {
                    good.add(s.where() + " with TLS client verification");
                } else {
                    bad.add("dockerd (pid " + pid + ") serves the Engine API on " + s.where()
                            + " without TLS client verification"
                            + (s.loopback() ? " (loopback: every local user and browser page)" : "")
                            + ": whoever reaches it is root on this host;"
                            + " remove " + c.describeTcpHosts() + ", or add --tlsverify with client certificates");
                }
            }
        }
        if (!bad.isEmpty()) {
            out.add("dockerd-api", CHECK, VerificationTable.Result.FAIL, String.join("; ", bad));
        } else if (!good.isEmpty()) {
            out.add(
                    "dockerd-api",
                    CHECK,
                    VerificationTable.Result.OK,
                    "dockerd serves the Engine API on " + String.join(", ", good));
        } else {
            out.add(
                    "dockerd-api",
                    CHECK,
                    VerificationTable.Result.OK,
                    "dockerd (pid " + daemons.stream().map(String::valueOf).collect(Collectors.joining(", "))
                            + ") serves the Engine API on unix sockets only");
        }
    }

    /**
     * The parts of dockerd's configuration that say where the Engine API listens and whether TLS client
     * verification is on: its command line ({@code -H}, {@code --host}, {@code --tlsverify}, {@code --config-file}),
     * {@code daemon.json} ({@code "hosts"}, {@code "tlsverify"}) and DOCKER_TLS_VERIFY in its environment (dockerd's
     * default for --tlsverify).
     */
    record DockerdConfig(List<String> hosts, boolean tlsVerify) {
        static DockerdConfig of(List<String> argv, List<String> environ, Path fs) {
            List<String> hosts = new ArrayList<>();
            Boolean verify = null;
            String configFile = "/etc/docker/daemon.json";
            for (int i = 1; i < argv.size(); i++) {
                String a = argv.get(i);
                String next = i + 1 < argv.size() ? argv.get(i + 1) : "";
                if (a.equals("-H") || a.equals("--host")) {
                    hosts.add(next);
                    i++;
                } else if (a.startsWith("--host=") || a.startsWith("-H=")) {
                    hosts.add(a.substring(a.indexOf('=') + 1));
                } else if (a.startsWith("-H") && a.length() > 2) {
                    hosts.add(a.substring(2));
                } else if (a.equals("--tlsverify")) {
                    verify = true;
                } else if (a.startsWith("--tlsverify=")) {
                    verify = Boolean.parseBoolean(a.substring(12));
                } else if (a.equals("--config-file")) {
                    configFile = next;
                    i++;
                } else if (a.startsWith("--config-file=")) {
                    configFile = a.substring(14);
                }
            }
            JsonNode json = readJson(fs, configFile);
            json.path("hosts").forEach(h -> hosts.add(h.asText()));
            if (verify == null && json.has("tlsverify"))
                verify = json.path("tlsverify").asBoolean(false);
            if (verify == null)
                verify = environ.stream().anyMatch(e -> e.startsWith("DOCKER_TLS_VERIFY=") && e.length() > 18);
            return new DockerdConfig(hosts, verify);
        }

        /** The ports of the configured tcp:// hosts (2375 when none is given), plus 2375 and 2376 themselves. */
        Set<Integer> apiPorts() {
            Set<Integer> ports = new LinkedHashSet<>(List.of(2375, 2376));
            for (String h : hosts) {
                if (!h.startsWith("tcp://")) continue;
                String rest = h.substring(6);
                int slash = rest.indexOf('/');
                if (slash >= 0) rest = rest.substring(0, slash);
                int colon = rest.lastIndexOf(':');
                try {
                    ports.add(
                            colon >= 0 && !rest.endsWith("]")
                                    ? Integer.parseInt(rest.substring(colon + 1))
                                    : tlsVerify ? 2376 : 2375);
                } catch (NumberFormatException e) {
                    // dockerd would refuse it too
                }
            }
            return ports;
        }

        String describeTcpHosts() {
            List<String> tcp =
                    hosts.stream().filter(h -> h.startsWith("tcp://")).toList();
            return tcp.isEmpty()
                    ? "the TCP host"
                    : tcp.stream().map(h -> "-H " + h).collect(Collectors.joining(", "))
                            + " (dockerd's command line or the hosts key of daemon.json)";
        }

        private static JsonNode readJson(Path fs, String file) {
            try {
                Path p = fs.resolve(file.startsWith("/") ? file.substring(1) : file);
                return Json.parse(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return Json.object();
            }
        }
    }

    // ------------------------------------------------------------------ telemetry

    /** The telemetry daemon: loopback, or the address it was configured with. */
    void telemetryListen(String configured, VerificationTable out) {
        List<Integer> daemons = new ArrayList<>();
        for (int pid : sameNamespace(null)) {
            List<String> argv = ListeningSockets.cmdline(proc, pid);
            boolean telemetry = argv.stream().anyMatch(a -> a.equals("telemetry") || a.endsWith("telemetry.java"));
            if (telemetry && argv.contains("--daemon")) daemons.add(pid);
        }
        if (noneRuns(daemons, "telemetry-listen", "no telemetry daemon (telemetry --daemon)", out)) return;
        List<String> bad = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (int pid : daemons) {
            List<String> argv = ListeningSockets.cmdline(proc, pid);
            String flag = flagValue(argv, "--listen");
            String want = flag != null ? flag : configured;
            String origin = flag != null ? "its --listen" : "endpoints.metrics.listen";
            for (Socket s : sockets) {
                if (s.pid() != pid || !s.proto().equals("tcp")) continue;
                if (s.loopback() || matches(s, want)) {
                    good.add(s.where() + (s.loopback() ? "" : " as configured (" + origin + " " + want + ")"));
                } else {
                    bad.add(
                            "the telemetry daemon (pid " + pid + ") listens on " + s.where() + ", but " + origin
                                    + " is " + (want == null ? "not set" : want)
                                    + ": /metrics, /health and /ready answer anyone who reaches it; listen on 127.0.0.1 or set endpoints.metrics.listen to the address you mean");
                }
            }
        }
        if (!bad.isEmpty()) {
            out.add("telemetry-listen", CHECK, VerificationTable.Result.FAIL, String.join("; ", bad));
        } else {
            out.add(
                    "telemetry-listen",
                    CHECK,
                    VerificationTable.Result.OK,
                    good.isEmpty()
                            ? "the telemetry daemon listens nowhere yet"
                            : "the telemetry daemon listens on " + String.join(", ", good));
        }
    }

    /** True, with the check skipped, when none of the processes a check is about runs here. */
    private static boolean noneRuns(List<Integer> pids, String check, String none, VerificationTable out) {
        if (!pids.isEmpty()) return false;
        out.add(check, CHECK, VerificationTable.Result.SKIP, none + " runs in this network namespace");
        return true;
    }

    static String flagValue(List<String> argv, String flag) {
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).equals(flag) && i + 1 < argv.size()) return argv.get(i + 1);
            if (argv.get(i).startsWith(flag + "=")) return argv.get(i).substring(flag.length() + 1);
        }
        return null;
    }

    /** The socket is on the configured HOST:PORT (a wildcard socket only matches a wildcard host). */
    static boolean matches(Socket s, String hostPort) {
        if (hostPort == null || hostPort.isBlank()) return false;
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) return false;
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        try {
            if (Integer.parseInt(hostPort.substring(colon + 1)) != s.port()) return false;
            InetAddress want = host.isEmpty() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(host);
            return want.isAnyLocalAddress() ? s.wildcard() : want.equals(s.address());
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ swarm

    /** With an overlay configured, the swarm's ports belong on its addresses. */
    void swarmPorts(boolean overlayConfigured, VerificationTable out) {
        List<Socket> swarm = sockets.stream()
                .filter(s -> s.proto().equals("tcp") ? SWARM_TCP.contains(s.port()) : SWARM_UDP.contains(s.port()))
                .toList();
        if (!overlayConfigured) {
            out.add(
                    "swarm-ports",
                    CHECK,
                    VerificationTable.Result.SKIP,
                    "no overlay configured (capabilities.networking.overlays): the swarm runs on the underlay"
                            + (swarm.isEmpty() ? "" : " (" + describe(swarm) + ")"));
            return;
        }
        if (swarm.isEmpty()) {
            out.add(
                    "swarm-ports",
                    CHECK,
                    VerificationTable.Result.OK,
                    "nothing listens on 2377/tcp, 7946/tcp+udp or 4789/udp");
            return;
        }
        List<NetIface> overlay = ifaces.stream()
                .filter(i -> (i.zerotier() || i.tailscale())
                        && i.up()
                        && !(i.ipv4().isEmpty() && i.ipv6Global().isEmpty()))
                .toList();
        Set<InetAddress> overlayAddrs = new LinkedHashSet<>();
        overlay.forEach(i -> overlayAddrs.addAll(i.addresses()));
        // the kernel's VXLAN socket (no process holds it) always binds every address: only a firewall limits it
        List<Socket> vxlan = swarm.stream()
                .filter(s -> s.proto().equals("udp") && s.port() == 4789 && s.pid() < 0)
                .toList();
        String vxlanNote = vxlan.isEmpty()
                ? ""
                : "; " + describe(vxlan)
                        + " is the kernel's VXLAN socket, which binds every address whatever the swarm's"
                        + " listen address: allow 4789/udp on the overlay interface only (firewall)";
        List<Socket> open = swarm.stream()
                .filter(s -> !vxlan.contains(s) && !s.loopback() && !overlayAddrs.contains(s.address()))
                .toList();
        String ov = overlay.isEmpty()
                ? "no overlay interface (zt*, tailscale0) is up with an address"
                : overlay.stream()
                        .map(i -> i.name() + " "
                                + i.ipv4().stream()
                                        .map(InetAddress::getHostAddress)
                                        .collect(Collectors.joining(",")))
                        .collect(Collectors.joining(", "));
        if (open.isEmpty()) {
            List<Socket> bound = swarm.stream().filter(s -> !vxlan.contains(s)).toList();
            out.add(
                    "swarm-ports",
                    CHECK,
                    VerificationTable.Result.OK,
                    (bound.isEmpty() ? "2377 and 7946 closed" : describe(bound) + ": on the overlay only") + " (" + ov
                            + ")" + vxlanNote);
            return;
        }
        Optional<String> ip = overlay.stream()
                .flatMap(i -> i.ipv4().stream())
                .map(InetAddress::getHostAddress)
                .findFirst();
        out.add(
                "swarm-ports",
                CHECK,
                VerificationTable.Result.WARN,
                describe(open)
                        + (open.stream().anyMatch(Socket::wildcard)
                                ? ": reachable on every interface, not only on"
                                : ": reachable beyond")
                        + " the overlay (" + ov + "), unless a firewall closes them: join with --listen-addr "
                        + ip.orElse("OVERLAY_IP") + ":2377"
                        + " (2377 and 7946 then bind there), or allow 2377/tcp and 7946/tcp+udp on the overlay interface only"
                        + vxlanNote);
    }

    static String describe(List<Socket> list) {
        return list.stream()
                .map(s -> s.where() + " (" + s.owner() + ")")
                .distinct()
                .collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ processes

    /** Processes in this process's network namespace ({@code comm} null: all), by /proc/PID/ns/net. */
    List<Integer> sameNamespace(String comm) {
        String mine = link(proc.resolve("self/ns/net"));
        List<Integer> out = new ArrayList<>();
        try (var dir = Files.newDirectoryStream(
                proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : dir) {
                if (comm != null) {
                    String c;
                    try {
                        c = Files.readString(p.resolve("comm"), StandardCharsets.ISO_8859_1)
                                .strip();
                    } catch (IOException e) {
                        continue;
                    }
                    if (!c.equals(comm)) continue;
                }
                String ns = link(p.resolve("ns/net"));
                if (mine == null || mine.equals(ns))
                    out.add(Integer.parseInt(p.getFileName().toString()));
            }
        } catch (IOException e) {
            // no /proc
        }
        out.sort(Integer::compare);
        return out;
    }

    private List<String> environ(int pid) {
        return ListeningSockets.cmdline(proc, pid).isEmpty() ? List.of() : readNul(proc.resolve(pid + "/environ"));
    }

    private static List<String> readNul(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.ISO_8859_1);
            return s.isEmpty() ? List.of() : List.of(s.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
