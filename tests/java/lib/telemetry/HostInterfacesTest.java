package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A collector's kept list of interfaces (the daemon's): the JDK's listing, taken again after a minute or when one is gone. */
class HostInterfacesTest {
    static List<String> names(List<HostCollector.Interface> l) {
        return l.stream().map(HostCollector.Interface::name).toList();
    }

    @Test
    void theKeptListIsTheListingOfThisMachine() {
        HostCollector c = new HostCollector();
        long now = System.nanoTime();
        assertEquals(HostCollector.interfaceNames(), names(c.currentInterfaces(now)));
        assertEquals(HostCollector.interfaceNames(), names(c.currentInterfaces(now + 1)));
    }

    @Test
    void aKeptInterfaceThatIsGoneMeansListingAgainAndSoDoesAMinute() {
        HostCollector c = new HostCollector();
        long now = System.nanoTime();
        c.currentInterfaces(now);
        List<String> real = HostCollector.interfaceNames();
        // as if the list had been taken while an interface (a container's veth, say) existed that has gone since
        setKept(c, List.of("n0d3-gone0"), now);
        assertEquals(real, names(c.currentInterfaces(now + 1)));
        // an interface that exists but is not in the JDK's listing stays kept for a minute, then the listing wins
        setKept(c, List.of("lo"), now);
        assertEquals(List.of("lo"), names(c.currentInterfaces(now + HostCollector.INTERFACES_MAX_AGE_NANOS)));
        assertEquals(real, names(c.currentInterfaces(now + HostCollector.INTERFACES_MAX_AGE_NANOS + 1)));
    }

    /** A /proc/net/dev as Linux 6.1 writes it (net/core/net-procfs.c: dev_seq_printf_stats), two interfaces. */
    @Test
    void procNetDevGivesBytesPacketsAndErrorsEachWay() {
        Map<String, long[]> dev = HostCollector.procNetDev(
                List.of(
                        "Inter-|   Receive                                                |  Transmit",
                        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
                        "    lo:   81520     964    0    0    0     0          0         0    81520     964    0    0    0     0       0          0",
                        "  eth0: 1234567890123  987654    3    7    0     0          0        12  5555555  4444    2    0    0     0       0          0"));
        assertEquals(2, dev.size());
        assertArrayEquals(new long[] {1234567890123L, 5555555, 987654, 4444, 3, 2}, dev.get("eth0"));
        assertArrayEquals(new long[] {81520, 81520, 964, 964, 0, 0}, dev.get("lo"));
    }

    /**
     * On this machine, every listed interface's counters from /proc/net/dev lie between /sys/class/net's read just
     * before and just after (the same kernel counters; they only grow).
     */
    @Test
    void procNetDevAgreesWithSysClassNetOnThisMachine() {
        int compared = 0;
        for (String name : HostCollector.interfaceNames()) {
            HostCollector.Interface before = HostCollector.Interface.read(name);
            Map<String, long[]> dev = HostCollector.procNetDev();
            HostCollector.Interface mid = HostCollector.counters(name, dev);
            HostCollector.Interface after = HostCollector.Interface.read(name);
            // an interface that came or went meanwhile (a lab's veth, another test's container) proves nothing
            if (!dev.containsKey(name) || !new java.io.File("/sys/class/net/" + name + "/statistics").isDirectory())
                continue;
            long[] b = values(before), m = values(mid), a = values(after);
            for (int i = 0; i < b.length; i++) {
                assertTrue(
                        b[i] <= m[i] && m[i] <= a[i],
                        name + " counter " + i + ": " + b[i] + " <= " + m[i] + " <= " + a[i]);
            }
            compared++;
        }
        assertTrue(compared > 0, "no interface with a hardware address to compare: " + HostCollector.interfaceNames());
    }

    static long[] values(HostCollector.Interface i) {
        return new long[] {i.rxBytes(), i.txBytes(), i.rxPackets(), i.txPackets(), i.rxErrors(), i.txErrors()};
    }

    static void setKept(HostCollector c, List<String> names, long at) {
        try {
            java.lang.reflect.Field n = HostCollector.class.getDeclaredField("interfaceNames");
            java.lang.reflect.Field t = HostCollector.class.getDeclaredField("interfacesAt");
            n.setAccessible(true);
            t.setAccessible(true);
            n.set(c, names);
            t.set(c, at);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
