package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;

/** The daemon's HOST:PORT (--listen, endpoints.metrics.listen): an IPv6 host in brackets, a port 0 to 65535. */
class TelemetryConfigAddressTest {
    @Test
    void hostAndPort() {
        InetSocketAddress a = TelemetryConfig.address("127.0.0.1:10465", "--listen");
        assertEquals("127.0.0.1", a.getHostString());
        assertEquals(10465, a.getPort());
        InetSocketAddress v6 = TelemetryConfig.address("[::1]:9100", "--listen");
        assertEquals("::1", v6.getHostString(), "the brackets off");
        assertEquals(9100, v6.getPort());
        assertEquals("::", TelemetryConfig.address("[::]:0", "--listen").getHostString());
        assertEquals("node", TelemetryConfig.address("node:1", "--listen").getHostString());
    }

    @Test
    void badOnesAreUsageErrorsNamingTheSetting() {
        for (String bad : new String[] {"10465", ":10465", "host:", "host:x", "host:70000", "host:-1"}) {
            N0d3Exception e = assertThrows(N0d3Exception.class, () -> TelemetryConfig.address(bad, "--listen"), bad);
            assertEquals(2, e.exitCode(), bad);
            assertEquals(true, e.getMessage().startsWith("--listen: expected"), e.getMessage());
        }
    }
}
