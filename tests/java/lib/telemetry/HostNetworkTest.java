package lib.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import lib.json.Json;
import org.junit.jupiter.api.Test;
import support.Need;

/**
 * Which interface the sample's network fields describe, on lists made here: the IPv4 default route's
 * (/proc/net/route, read by HostCollector) wherever it stands in the list, else the first one listed.
 */
class HostNetworkTest {
    static HostCollector.Interface iface(String name, long rx, long tx) {
        return new HostCollector.Interface(name, rx, tx, 1, 2, 0, 0);
    }

    @Test
    void theDefaultRouteInterfaceIsPreferredWhereverItIsListed() {
        String route = HostCollector.defaultRouteInterface();
        Need.that(route != null, "no IPv4 default route on this machine: the preference for it cannot be seen");
        ObjectNode n = new HostCollector()
                .network(
                        List.of(iface("first-of-list", 1, 2), iface(route, 10, 20), iface("last-of-list", 3, 4)),
                        Json.object(),
                        0);
        assertEquals(route, n.path("interface").asText());
        assertEquals(10, n.path("network_rx_bytes").asLong());
        assertEquals(20, n.path("network_tx_bytes").asLong());
        assertEquals(3, n.path("interfaces").size());
    }

    @Test
    void withoutTheDefaultRouteInterfaceListedTheFirstStandsInAndNoneIsEmpty() {
        ObjectNode n = new HostCollector()
                .network(List.of(iface("not-a-route0", 7, 8), iface("not-a-route1", 5, 6)), Json.object(), 0);
        assertEquals("not-a-route0", n.path("interface").asText());
        assertEquals(7, n.path("network_rx_bytes").asLong());
        assertEquals(8, n.path("network_tx_bytes").asLong());
        ObjectNode none = new HostCollector().network(List.of(), Json.object(), 0);
        assertEquals("", none.path("interface").asText());
        assertEquals(0, none.path("network_rx_bytes").asLong());
        assertEquals(0, none.path("interfaces").size());
    }
}
