package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
