package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightTest {
    @Test
    void apiVersionsCompareNumerically() {
        assertTrue(Preflight.compareVersions("1.41", "1.41") == 0);
        assertTrue(Preflight.compareVersions("1.43", "1.41") > 0);
        assertTrue(Preflight.compareVersions("1.9", "1.41") < 0);
        assertTrue(Preflight.compareVersions("1.40", "1.41") < 0);
    }

    @Test
    void mtuCheck() throws Exception {
        NetIface ts = new NetIface("tailscale0", true, false, 1280, List.of(InetAddress.getByName("100.64.0.7")));
        Preflight.Check c = Preflight.mtu(new AddressSelector.Selection(InetAddress.getByName("100.64.0.7"), ts, "t"));
        assertEquals("warn", c.status());
        assertTrue(c.detail().startsWith("tailscale0 MTU 1280: overlay MTU 1230"), c.detail());
        NetIface eth = new NetIface("eth0", true, false, 1500, List.of(InetAddress.getByName("10.0.0.2")));
        assertEquals(
                "ok",
                Preflight.mtu(new AddressSelector.Selection(InetAddress.getByName("10.0.0.2"), eth, "t"))
                        .status());
        assertEquals(
                "skip",
                Preflight.mtu(new AddressSelector.Selection(InetAddress.getByName("203.0.113.1"), null, "t"))
                        .status());
    }
}
