package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TCP probes against loopback listeners this test opens (and a port it has just closed). */
class ProbeTest {
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void openAndRefused() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Probe.Result ok =
                    Probe.tcp("127.0.0.1", s.getLocalPort(), InetAddress.getLoopbackAddress(), Duration.ofSeconds(2));
            assertTrue(ok.ok(), ok.reason());
        }
        Probe.Result no = Probe.tcp("127.0.0.1", closedPort(), null, Duration.ofSeconds(2));
        assertFalse(no.ok());
        assertTrue(no.reason().startsWith("connection refused"), no.reason());
    }

    @Test
    void aRoundHandsResultsBackInTheGivenOrder() throws Exception {
        int dead = closedPort();
        try (ServerSocket a = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<ManagerCandidate> l = List.of(
                    ManagerCandidate.of(new ManagerAddress("127.0.0.1", dead), "t"),
                    ManagerCandidate.of(new ManagerAddress("127.0.0.1", a.getLocalPort()), "t"),
                    ManagerCandidate.of(new ManagerAddress("127.0.0.1", b.getLocalPort()), "t"));
            Probe.Round r = new Probe.Round(l, null, Duration.ofSeconds(2));
            assertEquals(dead, r.peek().address().port());
            assertFalse(r.next().ok());
            assertEquals(a.getLocalPort(), r.peek().address().port());
            assertTrue(r.next().ok());
            assertTrue(r.hasNext());
            assertTrue(r.next().ok());
            assertFalse(r.hasNext());
        }
    }
}
