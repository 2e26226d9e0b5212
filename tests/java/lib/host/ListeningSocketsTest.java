package lib.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket tables as the kernel writes them (the lines below are from a Debian 12 host's /proc/net/tcp,
 * tcp6 and udp: each 32-bit word of an address in host byte order, ports in hex, state 0A = LISTEN,
 * 07 = an unconnected UDP socket), and the real /proc of this test's own process.
 */
class ListeningSocketsTest {
    static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:28E0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41001 1 0000000000000000 100 0 0 10 0
               1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41002 1 0000000000000000 100 0 0 10 0
               2: 0CAAD50A:A55E 0BAAD50A:0949 01 00000000:00000000 02:000005CD 00000000     0        0 41003 3 0000000000000000 20 4 20 21 -1
            """;
    static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:0947 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42001 1 0000000000000000 100 0 0 10 0
               1: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42002 1 0000000000000000 100 0 0 10 0
               2: 0000000000000000FFFF00000CAAD50A:1F0A 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42003 1 0000000000000000 100 0 0 10 0
            """;
    static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              100: 00000000:12B5 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 0 2 0000000000000000 0
              101: 0CAAD50A:1F0A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 43001 2 0000000000000000 0
              102: 0CAAD50A:D431 0BAAD50A:1F0A 01 00000000:00000000 00:00000000 00000000     0        0 43002 2 0000000000000000 0
            """;

    @Test
    void parsesListeningEntriesOnly() throws Exception {
        List<ListeningSockets.Socket> tcp = ListeningSockets.parse("tcp", TCP);
        assertEquals(
                List.of("tcp 127.0.0.1:10464", "tcp 0.0.0.0:2024"),
                tcp.stream().map(ListeningSockets.Socket::where).toList());
        assertEquals(
                List.of(41001L, 41002L),
                tcp.stream().map(ListeningSockets.Socket::inode).toList());
        assertTrue(tcp.get(1).wildcard());
        assertTrue(tcp.get(0).loopback());

        List<ListeningSockets.Socket> tcp6 = ListeningSockets.parse("tcp", TCP6);
        assertEquals(
                List.of("tcp [::]:2375", "tcp [::1]:53", "tcp 10.213.170.12:7946"),
                tcp6.stream().map(ListeningSockets.Socket::where).toList(),
                "an IPv4-mapped address is shown as IPv4");
        assertTrue(tcp6.get(0).wildcard());

        List<ListeningSockets.Socket> udp = ListeningSockets.parse("udp", UDP);
        assertEquals(
                List.of("udp 0.0.0.0:4789", "udp 10.213.170.12:7946"),
                udp.stream().map(ListeningSockets.Socket::where).toList(),
                "the connected socket (state 01) is not listening");
        assertEquals(0L, udp.get(0).inode(), "the kernel's VXLAN socket has no inode");
    }

    @Test
    void showsIpv6TheWayPeopleWriteIt() throws Exception {
        assertEquals("[::]", ListeningSockets.show(InetAddress.getByName("::")));
        assertEquals("[::1]", ListeningSockets.show(InetAddress.getByName("::1")));
        assertEquals("[fd7a:115c:a1e0::1]", ListeningSockets.show(InetAddress.getByName("fd7a:115c:a1e0:0:0:0:0:1")));
        assertEquals("[fe80::1:0]", ListeningSockets.show(InetAddress.getByName("fe80:0:0:0:0:0:1:0")));
        assertEquals("[1::]", ListeningSockets.show(InetAddress.getByName("1:0:0:0:0:0:0:0")));
        assertEquals("[1:2:3:4:5:6:7:8]", ListeningSockets.show(InetAddress.getByName("1:2:3:4:5:6:7:8")));
    }

    @Test
    void mapsSocketsToTheirProcessesThroughFdLinks(@TempDir Path proc) throws IOException {
        Path net = Files.createDirectories(proc.resolve("net"));
        Files.writeString(net.resolve("tcp"), TCP);
        Files.writeString(net.resolve("tcp6"), TCP6);
        Files.writeString(net.resolve("udp"), UDP);
        fakeProcess(proc, 812, "dockerd", "/usr/bin/dockerd\0-H\0tcp://0.0.0.0:2375\0", 42001, 43001);
        fakeProcess(proc, 900, "java", "java\0-jar\0n0d3.jar\0telemetry\0--daemon\0", 41001);
        List<ListeningSockets.Socket> all = ListeningSockets.read(proc, net);
        assertEquals(7, all.size());
        ListeningSockets.Socket docker =
                all.stream().filter(s -> s.port() == 2375).findFirst().orElseThrow();
        assertEquals(812, docker.pid());
        assertEquals("dockerd", docker.program());
        assertEquals(List.of("/usr/bin/dockerd", "-H", "tcp://0.0.0.0:2375"), docker.cmdline());
        assertEquals("dockerd (pid 812)", docker.owner());
        assertEquals(
                900,
                all.stream()
                        .filter(s -> s.port() == 10464)
                        .findFirst()
                        .orElseThrow()
                        .pid());
        ListeningSockets.Socket vxlan =
                all.stream().filter(s -> s.port() == 4789).findFirst().orElseThrow();
        assertEquals(-1, vxlan.pid());
        assertEquals("no process", vxlan.owner());
        assertEquals(
                -1,
                all.stream()
                        .filter(s -> s.port() == 2024)
                        .findFirst()
                        .orElseThrow()
                        .pid(),
                "no fd of ours holds it");
    }

    static void fakeProcess(Path proc, int pid, String comm, String cmdline, long... inodes) throws IOException {
        Path p = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("fd"));
        Files.writeString(p.getParent().resolve("comm"), comm + "\n");
        Files.writeString(p.getParent().resolve("cmdline"), cmdline);
        int fd = 3;
        Files.createSymbolicLink(p.resolve("0"), Path.of("/dev/null"));
        for (long i : inodes)
            Files.createSymbolicLink(p.resolve(Integer.toString(fd++)), Path.of("socket:[" + i + "]"));
    }

    /** The real kernel: a server socket this JVM opens shows up, held by this very process. */
    @Test
    void seesThisProcesssOwnListener() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "not Linux");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<ListeningSockets.Socket> all = ListeningSockets.system();
            ListeningSockets.Socket mine = all.stream()
                    .filter(x -> x.proto().equals("tcp") && x.port() == s.getLocalPort())
                    .findFirst()
                    .orElseThrow();
            assertEquals(ProcessHandle.current().pid(), mine.pid());
            assertTrue(mine.loopback());
            assertFalse(mine.cmdline().isEmpty());
        }
    }
}
