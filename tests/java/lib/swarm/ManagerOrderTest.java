package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManagerOrderTest {
    static ManagerCandidate c(String addr, String src) {
        return ManagerCandidate.of(ManagerAddress.parse(addr, "t"), src);
    }

    static ManagerCandidate m(String addr, boolean leader, String reach) {
        return new ManagerCandidate(ManagerAddress.parse(addr, "t"), "management node", leader, reach);
    }

    static List<String> addrs(List<ManagerCandidate> l) {
        return l.stream().map(x -> x.address().toString()).toList();
    }

    @Test
    void keepsTheGivenOrderAndDropsDuplicatesKeepingTheFirstSource() {
        ManagerOrder.Ordered o = ManagerOrder.order(
                List.of(
                        c("10.0.0.3", "--manager"),
                        c("10.0.0.1", "--manager"),
                        c("10.0.0.3:2377", "codex.yaml"),
                        c("10.0.0.2", "--manager")),
                Set.of());
        assertEquals(List.of("10.0.0.3:2377", "10.0.0.1:2377", "10.0.0.2:2377"), addrs(o.tryOrder()));
        assertEquals("--manager", o.tryOrder().get(0).source());
    }

    @Test
    void samHostOtherPortIsAnotherManager() {
        assertEquals(
                2,
                ManagerOrder.order(List.of(c("10.0.0.1", "a"), c("10.0.0.1:2400", "a")), Set.of())
                        .tryOrder()
                        .size());
    }

    @Test
    void skipsThisHostsOwnAddresses() {
        ManagerOrder.Ordered o = ManagerOrder.order(
                List.of(c("10.0.0.1", "a"), c("10.0.0.9", "a"), c("fd00::9", "a")),
                Set.of("10.0.0.9", "fd00:0:0:0:0:0:0:9", "fd00::9"));
        assertEquals(List.of("10.0.0.1:2377"), addrs(o.tryOrder()));
        assertEquals(List.of("10.0.0.9:2377", "[fd00::9]:2377"), addrs(o.skippedSelf()));
    }

    @Test
    void reachableFirstThenUnknownThenUnreachableLeaderFirstAmongEquals() {
        ManagerOrder.Ordered o = ManagerOrder.order(
                List.of(
                        m("10.0.0.1", false, "unreachable"),
                        m("10.0.0.2", false, "unknown"),
                        m("10.0.0.3", false, "reachable"),
                        m("10.0.0.4", true, "reachable"),
                        m("10.0.0.5", true, "unreachable"),
                        m("10.0.0.6", false, "reachable")),
                Set.of());
        assertEquals(
                List.of(
                        "10.0.0.4:2377",
                        "10.0.0.3:2377",
                        "10.0.0.6:2377",
                        "10.0.0.2:2377",
                        "10.0.0.5:2377",
                        "10.0.0.1:2377"),
                addrs(o.tryOrder()));
    }
}
