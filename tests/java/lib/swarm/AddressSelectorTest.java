package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;

/** Address selection on made-up interface tables (the real one is exercised by the lab tests). */
class AddressSelectorTest {
    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static NetIface iface(String name, int mtu, String... addrs) {
        return new NetIface(
                name,
                true,
                name.equals("lo"),
                mtu,
                Arrays.stream(addrs).map(AddressSelectorTest::ip).toList());
    }

    static NetIface down(String name, String... addrs) {
        return new NetIface(
                name,
                false,
                false,
                1500,
                Arrays.stream(addrs).map(AddressSelectorTest::ip).toList());
    }

    static final NetIface LO = iface("lo", 65536, "127.0.0.1", "::1");
    static final NetIface ETH0 = iface("eth0", 1500, "192.168.1.20", "fe80::1");
    static final NetIface ZT = iface("ztabcdef12", 2800, "10.147.17.5");
    static final NetIface TS = iface("tailscale0", 1280, "100.64.0.7");
    static final RouteSource NO_ROUTE = t -> Optional.empty();

    static AddressSelector sel(RouteSource r, NetIface... ifaces) {
        return new AddressSelector(new ArrayList<>(List.of(ifaces)), r);
    }

    static RouteSource via(String src) {
        return t -> Optional.of(ip(src));
    }

    static N0d3Exception usage(Runnable r) {
        N0d3Exception e = assertThrows(N0d3Exception.class, r::run);
        assertEquals(2, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void zerotierComesFirst() {
        AddressSelector.Selection s =
                sel(via("192.168.1.20"), LO, ETH0, TS, ZT).select(null, "--advertise-addr", ip("10.147.17.1"));
        assertEquals("10.147.17.5", s.ip());
        assertEquals("ztabcdef12", s.iface().name());
        assertEquals("ZeroTier interface ztabcdef12", s.reason());
    }

    @Test
    void thenTailscale() {
        AddressSelector.Selection s =
                sel(via("192.168.1.20"), LO, ETH0, TS).select(null, "--advertise-addr", ip("100.64.0.1"));
        assertEquals("100.64.0.7", s.ip());
        assertEquals(1280, s.mtu());
    }

    @Test
    void aDownOrAddresslessOverlayDoesNotCount() {
        NetIface ztDown = down("ztzzzzzzzz", "10.147.18.5");
        NetIface tsNoAddr = iface("tailscale0", 1280);
        AddressSelector.Selection s = sel(via("192.168.1.20"), LO, ETH0, ztDown, tsNoAddr)
                .select(null, "--advertise-addr", ip("192.168.1.1"));
        assertEquals("192.168.1.20", s.ip());
    }

    @Test
    void otherwiseTheSourceOfTheRouteToTheManager() {
        NetIface eth1 = iface("eth1", 9000, "172.16.0.4");
        AddressSelector.Selection s =
                sel(via("172.16.0.4"), LO, ETH0, eth1).select(null, "--advertise-addr", ip("172.16.0.1"));
        assertEquals("172.16.0.4", s.ip());
        assertEquals(9000, s.mtu());
        assertEquals("source of the route to 172.16.0.1 via eth1", s.reason());
    }

    @Test
    void withoutARouteTheOnlyAddressIsTaken() {
        assertEquals(
                "192.168.1.20",
                sel(NO_ROUTE, LO, ETH0)
                        .select(null, "--advertise-addr", ip("10.9.9.9"))
                        .ip());
    }

    @Test
    void multiHomedWithoutARouteIsAmbiguousAndListsCandidates() {
        NetIface eth1 = iface("eth1", 1500, "172.16.0.4");
        N0d3Exception e = usage(() -> sel(NO_ROUTE, LO, ETH0, eth1).select(null, "--advertise-addr", ip("10.9.9.9")));
        assertTrue(e.getMessage().contains("eth0 192.168.1.20"), e.getMessage());
        assertTrue(e.getMessage().contains("eth1 172.16.0.4"), e.getMessage());
        assertTrue(e.getMessage().contains("pass --advertise-addr"), e.getMessage());
    }

    @Test
    void twoZerotierNetworksAreAmbiguous() {
        NetIface zt2 = iface("ztfedcba98", 2800, "10.200.0.5");
        N0d3Exception e = usage(
                () -> sel(via("192.168.1.20"), LO, ETH0, ZT, zt2).select(null, "--advertise-addr", ip("10.147.17.1")));
        assertTrue(
                e.getMessage().contains("ztabcdef12 10.147.17.5")
                        && e.getMessage().contains("ztfedcba98 10.200.0.5"),
                e.getMessage());
    }

    @Test
    void anInterfaceWithTwoIpv4AddressesIsAmbiguous() {
        NetIface eth0 = iface("eth0", 1500, "192.168.1.20", "192.168.1.21");
        N0d3Exception e = usage(() -> sel(NO_ROUTE, LO, eth0).select("eth0", "--data-path-addr", null));
        assertTrue(
                e.getMessage().contains("192.168.1.20, 192.168.1.21")
                        && e.getMessage().contains("--data-path-addr"),
                e.getMessage());
    }

    @Test
    void anInterfaceNameGivesItsAddress() {
        AddressSelector.Selection s = sel(NO_ROUTE, LO, ETH0, ZT).select("eth0", "--advertise-addr", null);
        assertEquals("192.168.1.20", s.ip());
        assertEquals("interface eth0 (--advertise-addr)", s.reason());
    }

    @Test
    void anIpv6OnlyInterfaceGivesItsGlobalAddress() {
        NetIface v6 = iface("eth2", 1500, "fe80::2", "2001:db8::2");
        assertEquals(
                ip("2001:db8::2"),
                sel(NO_ROUTE, v6).select("eth2", "--advertise-addr", null).address());
    }

    @Test
    void anUnknownInterfaceListsTheInterfaces() {
        N0d3Exception e = usage(() -> sel(NO_ROUTE, LO, ETH0, ZT).select("wlan0", "--advertise-addr", null));
        assertTrue(e.getMessage().startsWith("--advertise-addr: no interface or IP address 'wlan0'"), e.getMessage());
        assertTrue(
                e.getMessage().contains("eth0 192.168.1.20") && e.getMessage().contains("ztabcdef12 10.147.17.5"),
                e.getMessage());
    }

    @Test
    void aDownInterfaceIsRefused() {
        assertTrue(usage(() -> sel(NO_ROUTE, LO, down("eth1", "172.16.0.4")).select("eth1", "--advertise-addr", null))
                .getMessage()
                .contains("down"));
    }

    @Test
    void anIpIsTakenAsGivenEvenWhenNotLocal() {
        AddressSelector.Selection local = sel(NO_ROUTE, LO, ETH0).select("192.168.1.20", "--advertise-addr", null);
        assertEquals("eth0", local.iface().name());
        AddressSelector.Selection nat = sel(NO_ROUTE, LO, ETH0).select("203.0.113.7", "--advertise-addr", null);
        assertEquals("203.0.113.7", nat.ip());
        assertNull(nat.iface());
        assertEquals(0, nat.mtu());
        assertTrue(nat.reason().contains("not an address of this host"), nat.reason());
    }

    @Test
    void aBadIpIsAUsageError() {
        usage(() -> sel(NO_ROUTE, LO, ETH0).select("300.1.2.3", "--advertise-addr", null));
    }

    @Test
    void ownHostsListsEveryAddress() {
        assertTrue(sel(NO_ROUTE, LO, ETH0, ZT)
                .ownHosts()
                .containsAll(List.of("127.0.0.1", "192.168.1.20", "10.147.17.5")));
    }

    @Test
    void theSystemViewSeesLoopback() {
        assertTrue(NetIface.system().stream()
                .anyMatch(i -> i.loopback() && i.ipv4().contains(ip("127.0.0.1"))));
        assertEquals(Optional.of(ip("127.0.0.1")), RouteSource.system().sourceFor(ip("127.0.0.1")));
    }
}
