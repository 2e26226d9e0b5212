package lib.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.host.ListeningSockets;
import lib.host.ListeningSockets.Socket;
import lib.swarm.NetIface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network audit's rules over a /proc tree of the test's own (processes, their command lines,
 * environments and network namespaces) and sockets as {@link ListeningSockets} reports them. The lab test
 * (install.NetworkAuditLabTest) runs the same rules against real daemons.
 */
class NetworkAuditTest {
    @TempDir
    Path proc;

    @TempDir
    Path fs;

    final List<Socket> sockets = new ArrayList<>();
    final List<NetIface> ifaces = new ArrayList<>();

    void process(int pid, String comm, String netns, String... argv) throws IOException {
        Path p = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("ns"));
        Files.writeString(p.getParent().resolve("comm"), comm + "\n");
        Files.writeString(p.getParent().resolve("cmdline"), String.join("\0", argv) + "\0");
        Files.writeString(p.getParent().resolve("environ"), "PATH=/usr/bin\0");
        Files.createSymbolicLink(p.resolve("net"), Path.of("net:[" + netns + "]"));
    }

    void environ(int pid, String... vars) throws IOException {
        Files.writeString(proc.resolve(pid + "/environ"), String.join("\0", vars) + "\0");
    }

    void listen(int pid, String comm, String proto, String addr, int port) throws IOException {
        sockets.add(new Socket(
                proto,
                InetAddress.getByName(addr),
                port,
                1000 + sockets.size(),
                pid,
                comm,
                ListeningSockets.cmdline(proc, pid)));
    }

    NetworkAudit audit() throws IOException {
        Path self = Files.createDirectories(proc.resolve("self/ns"));
        if (!Files.exists(self.resolve("net"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
            Files.createSymbolicLink(self.resolve("net"), Path.of("net:[4026531840]"));
        return new NetworkAudit(proc, fs, sockets, ifaces);
    }

    static VerificationTable.Row only(VerificationTable t) {
        assertEquals(1, t.rows().size(), t.render());
        return t.rows().get(0);
    }

    @Test
    void dockerdOnTcpWithoutTlsFails() throws IOException {
        process(
                812,
                "dockerd",
                "4026531840",
                "/usr/bin/dockerd",
                "-H",
                "fd://",
                "-H",
                "tcp://0.0.0.0:2375",
                "--containerd=/run/containerd/containerd.sock");
        listen(812, "dockerd", "tcp", "::", 2375);
        listen(812, "dockerd", "tcp", "::", 7946);
        VerificationTable t = new VerificationTable();
        audit().dockerdApi(t);
        VerificationTable.Row r = only(t);
        assertEquals(VerificationTable.Result.FAIL, r.result());
        assertEquals(
                "dockerd (pid 812) serves the Engine API on tcp [::]:2375 without TLS client verification: whoever reaches it is root on this host;"
                        + " remove -H tcp://0.0.0.0:2375 (dockerd's command line or the hosts key of daemon.json), or add --tlsverify with client certificates",
                r.detail());
    }

    @Test
    void aPortOtherThan2375FromDaemonJsonAndLoopbackFailToo() throws IOException {
        Files.createDirectories(fs.resolve("etc/docker"));
        Files.writeString(
                fs.resolve("etc/docker/daemon.json"),
                "{\"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://127.0.0.1:4243\"]}");
        process(812, "dockerd", "4026531840", "/usr/bin/dockerd");
        listen(812, "dockerd", "tcp", "127.0.0.1", 4243);
        VerificationTable t = new VerificationTable();
        audit().dockerdApi(t);
        VerificationTable.Row r = only(t);
        assertEquals(VerificationTable.Result.FAIL, r.result());
        assertTrue(
                r.detail()
                        .startsWith(
                                "dockerd (pid 812) serves the Engine API on tcp 127.0.0.1:4243 without TLS client verification"
                                        + " (loopback: every local user and browser page)"),
                r.detail());
    }

    @Test
    void tlsVerifyFromTheCommandLineDaemonJsonOrTheEnvironmentPasses() throws IOException {
        process(
                812,
                "dockerd",
                "4026531840",
                "/usr/bin/dockerd",
                "-H=tcp://0.0.0.0:2376",
                "--tlsverify",
                "--tlscacert=/etc/docker/ca.pem");
        listen(812, "dockerd", "tcp", "0.0.0.0", 2376);
        VerificationTable t = new VerificationTable();
        audit().dockerdApi(t);
        assertEquals(VerificationTable.Result.OK, only(t).result(), t.render());
        assertEquals(
                "dockerd serves the Engine API on tcp 0.0.0.0:2376 with TLS client verification", only(t).detail());

        Files.createDirectories(fs.resolve("srv"));
        Files.writeString(fs.resolve("srv/d.json"), "{\"tlsverify\": true, \"hosts\": [\"tcp://0.0.0.0:2376\"]}");
        process(813, "dockerd", "4026531840", "dockerd", "--config-file", "/srv/d.json");
        sockets.clear();
        listen(813, "dockerd", "tcp", "0.0.0.0", 2376);
        t = new VerificationTable();
        audit().dockerdApi(t);
        assertEquals(VerificationTable.Result.OK, t.rows().get(0).result(), t.render());

        process(814, "dockerd", "4026531840", "dockerd", "-H", "tcp://0.0.0.0:2376", "--tlsverify=false");
        environ(814, "DOCKER_TLS_VERIFY=1");
        sockets.clear();
        listen(814, "dockerd", "tcp", "0.0.0.0", 2376);
        t = new VerificationTable();
        audit().dockerdApi(t);
        assertEquals(
                VerificationTable.Result.FAIL,
                t.rows().get(0).result(),
                "an explicit --tlsverify=false wins over the environment: " + t.render());
    }

    @Test
    void unixOnlyIsOkAndNoDockerdIsSkippedAndAnotherNamespacesDockerdIsNotOurs() throws IOException {
        process(812, "dockerd", "4026531840", "/usr/bin/dockerd", "-H", "fd://");
        listen(812, "dockerd", "tcp", "::", 7946);
        VerificationTable t = new VerificationTable();
        audit().dockerdApi(t);
        assertEquals(VerificationTable.Result.OK, only(t).result());
        assertEquals("dockerd (pid 812) serves the Engine API on unix sockets only", only(t).detail());

        try (var tree = Files.walk(proc.resolve("812"))) {
            tree.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        process(900, "dockerd", "4026532999", "/usr/bin/dockerd", "-H", "tcp://0.0.0.0:2375");
        t = new VerificationTable();
        audit().dockerdApi(t);
        assertEquals(
                VerificationTable.Result.SKIP,
                only(t).result(),
                "a dockerd of another network namespace: " + t.render());
    }

    @Test
    void telemetryDaemonOnLoopbackOrWhereConfigured() throws IOException {
        process(900, "java", "4026531840", "/usr/bin/java", "-jar", "/opt/pr-cybr/n0d3.jar", "telemetry", "--daemon");
        listen(900, "java", "tcp", "127.0.0.1", 10464);
        VerificationTable t = new VerificationTable();
        audit().telemetryListen("127.0.0.1:10464", t);
        assertEquals(VerificationTable.Result.OK, only(t).result());
        assertEquals("the telemetry daemon listens on tcp 127.0.0.1:10464", only(t).detail());

        sockets.clear();
        listen(900, "java", "tcp", "0.0.0.0", 10464);
        t = new VerificationTable();
        audit().telemetryListen("127.0.0.1:10464", t);
        assertEquals(VerificationTable.Result.FAIL, only(t).result());
        assertTrue(
                only(t).detail()
                        .startsWith(
                                "the telemetry daemon (pid 900) listens on tcp 0.0.0.0:10464, but endpoints.metrics.listen is 127.0.0.1:10464"),
                only(t).detail());

        t = new VerificationTable();
        audit().telemetryListen("0.0.0.0:10464", t);
        assertEquals(VerificationTable.Result.OK, only(t).result(), "configured so");
        assertEquals(
                "the telemetry daemon listens on tcp 0.0.0.0:10464 as configured (endpoints.metrics.listen 0.0.0.0:10464)",
                only(t).detail());

        sockets.clear();
        process(901, "java", "4026531840", "jbang", "telemetry.java", "--daemon", "--listen", "10.147.17.5:10464");
        listen(901, "java", "tcp", "10.147.17.5", 10464);
        t = new VerificationTable();
        audit().telemetryListen("127.0.0.1:10464", t);
        assertEquals(
                VerificationTable.Result.OK, only(t).result(), "its own --listen is configuration too: " + t.render());
    }

    @Test
    void noTelemetryDaemonIsSkipped() throws IOException {
        process(900, "java", "4026531840", "/usr/bin/java", "-jar", "/opt/pr-cybr/n0d3.jar", "telemetry", "--once");
        VerificationTable t = new VerificationTable();
        audit().telemetryListen("127.0.0.1:10464", t);
        assertEquals(VerificationTable.Result.SKIP, only(t).result());
    }

    @Test
    void swarmPortsBelongOnTheOverlayWhenOneIsConfigured() throws IOException {
        process(812, "dockerd", "4026531840", "dockerd");
        listen(812, "dockerd", "tcp", "::", 2377);
        listen(812, "dockerd", "tcp", "::", 7946);
        listen(812, "dockerd", "udp", "::", 7946);
        sockets.add(new Socket("udp", InetAddress.getByName("0.0.0.0"), 4789, 0, -1, "", List.of()));
        ifaces.add(new NetIface("eth0", true, false, 1500, List.of(InetAddress.getByName("192.168.1.20"))));
        ifaces.add(new NetIface("ztabcdef12", true, false, 2800, List.of(InetAddress.getByName("10.147.17.5"))));

        VerificationTable t = new VerificationTable();
        audit().swarmPorts(false, t);
        assertEquals(VerificationTable.Result.SKIP, only(t).result());

        t = new VerificationTable();
        audit().swarmPorts(true, t);
        VerificationTable.Row r = only(t);
        assertEquals(VerificationTable.Result.WARN, r.result());
        assertEquals(
                "tcp [::]:2377 (dockerd (pid 812)), tcp [::]:7946 (dockerd (pid 812)), udp [::]:7946 (dockerd (pid 812)):"
                        + " reachable on every interface, not only on the overlay (ztabcdef12 10.147.17.5), unless a firewall closes them:"
                        + " join with --listen-addr 10.147.17.5:2377 (2377 and 7946 then bind there), or allow 2377/tcp and 7946/tcp+udp on the overlay interface only;"
                        + " udp 0.0.0.0:4789 (no process) is the kernel's VXLAN socket, which binds every address whatever the swarm's listen address:"
                        + " allow 4789/udp on the overlay interface only (firewall)",
                r.detail());

        sockets.removeIf(s -> s.pid() == 812);
        listen(812, "dockerd", "tcp", "10.147.17.5", 2377);
        listen(812, "dockerd", "udp", "10.147.17.5", 7946);
        t = new VerificationTable();
        audit().swarmPorts(true, t);
        assertEquals(VerificationTable.Result.OK, only(t).result(), t.render());
        assertTrue(
                only(t).detail()
                        .startsWith(
                                "tcp 10.147.17.5:2377 (dockerd (pid 812)), udp 10.147.17.5:7946 (dockerd (pid 812)): on the overlay only"
                                        + " (ztabcdef12 10.147.17.5); udp 0.0.0.0:4789 (no process) is the kernel's VXLAN socket"),
                only(t).detail());

        sockets.clear();
        listen(812, "dockerd", "tcp", "192.168.1.20", 7946);
        ifaces.remove(1);
        ifaces.add(new NetIface("zt0peer", true, false, 2800, List.of()));
        t = new VerificationTable();
        audit().swarmPorts(true, t);
        assertEquals(VerificationTable.Result.WARN, only(t).result());
        assertTrue(
                only(t).detail()
                        .startsWith(
                                "tcp 192.168.1.20:7946 (dockerd (pid 812)): reachable beyond the overlay (no overlay interface (zt*, tailscale0)"
                                        + " is up with an address), unless a firewall closes them: join with --listen-addr OVERLAY_IP:2377"),
                only(t).detail());
    }

    @Test
    void matchesConfiguredAddresses() throws IOException {
        Socket any = new Socket("tcp", InetAddress.getByName("0.0.0.0"), 10464, 1, 1, "java", List.of());
        Socket lo = new Socket("tcp", InetAddress.getByName("127.0.0.1"), 10464, 1, 1, "java", List.of());
        assertTrue(NetworkAudit.matches(any, "0.0.0.0:10464"));
        assertTrue(NetworkAudit.matches(any, ":10464"));
        assertTrue(!NetworkAudit.matches(any, "127.0.0.1:10464"));
        assertTrue(!NetworkAudit.matches(lo, "127.0.0.1:9464"));
        assertTrue(NetworkAudit.matches(
                new Socket("tcp", InetAddress.getByName("::1"), 80, 1, 1, "x", List.of()), "[::1]:80"));
        assertEquals("10.0.0.1:1", NetworkAudit.flagValue(List.of("telemetry", "--listen=10.0.0.1:1"), "--listen"));
    }
}
