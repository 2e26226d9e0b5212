package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import lib.config.Codex;
import org.junit.jupiter.api.Test;

class OverlayNetworksTest {
    @Test
    void underlayMinus50UnlessGiven() {
        assertEquals(1230, OverlayNetworks.mtu(null, null, 1280)); // tailscale0
        assertEquals(2750, OverlayNetworks.mtu(null, null, 2800)); // ZeroTier
        assertEquals(1450, OverlayNetworks.mtu(null, null, 1500));
        assertEquals(1400, OverlayNetworks.mtu(null, 1400, 1280)); // codex.yaml
        assertEquals(1300, OverlayNetworks.mtu(1300, 1400, 1280)); // --mtu wins
        assertEquals(0, OverlayNetworks.mtu(null, null, 0)); // underlay unknown: docker's default
    }

    @Test
    void theDriverOptionIsTheContainerMtuPlusTheVxlanHeader() {
        // libnetwork's overlay driver subtracts 50 from com.docker.network.driver.mtu: 1280 in, 1230 in containers
        List<OverlayNetworks.Item> plan = OverlayNetworks.plan(
                null, List.of(new Codex.OverlayNetwork("traefik-public", true, false, null)), null, 1280, "tailscale0");
        assertEquals(1, plan.size());
        OverlayNetworks.Item i = plan.get(0);
        assertEquals("create", i.action());
        assertEquals(1230, i.mtu());
        assertEquals("traefik-public (overlay, attachable, MTU 1230 = tailscale0 1280 - 50)", i.describe());
        ObjectNode spec = OverlayNetworks.createSpec(i);
        assertEquals("overlay", spec.path("Driver").asText());
        assertTrue(spec.path("Attachable").asBoolean());
        assertEquals(
                "1280", spec.path("Options").path(OverlayNetworks.MTU_OPTION).asText());
        assertFalse(spec.path("Options").has("encrypted"));
        assertEquals("true", spec.path("Labels").path(OverlayNetworks.LABEL).asText());
    }

    @Test
    void encryptionOnRequestAndAttachableByDefault() {
        OverlayNetworks.Item i = OverlayNetworks.plan(
                        null, List.of(new Codex.OverlayNetwork("secure", null, true, null)), null, 1500, "eth0")
                .get(0);
        assertTrue(i.attachable());
        ObjectNode spec = OverlayNetworks.createSpec(i);
        assertTrue(spec.path("Options").has("encrypted"));
    }

    @Test
    void noMtuOptionWhenTheUnderlayIsUnknown() {
        OverlayNetworks.Item i = OverlayNetworks.plan(
                        null, List.of(new Codex.OverlayNetwork("n", false, false, null)), null, 0, "")
                .get(0);
        assertFalse(OverlayNetworks.createSpec(i).path("Options").has(OverlayNetworks.MTU_OPTION));
        assertFalse(OverlayNetworks.createSpec(i).path("Attachable").asBoolean());
    }

    @Test
    void readsTheMtuOfAnExistingNetwork() throws Exception {
        var n = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                        "{\"Options\":{\"com.docker.network.driver.mtu\":\"1400\",\"com.docker.network.driver.overlay.vxlanid_list\":\"4098\"}}");
        assertEquals(1350, OverlayNetworks.existingMtu(n));
        assertEquals(
                0,
                OverlayNetworks.existingMtu(
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"Options\":{}}")));
    }

    static JsonNode existing(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static final String OVERLAY_1350 = "{\"Driver\":\"overlay\",\"Scope\":\"swarm\",\"Attachable\":true,"
            + "\"Options\":{\"com.docker.network.driver.mtu\":\"1400\"}}";

    @Test
    void anExistingNetworkWithASmallerMtuIsLeftAlone() {
        // made by a manager on a 1400-byte underlay; this one has 1500: smaller is safe everywhere
        OverlayNetworks.Item i = OverlayNetworks.planAgainst(
                        n -> existing(OVERLAY_1350),
                        List.of(new Codex.OverlayNetwork("traefik-public", true, false, null)),
                        null,
                        1500,
                        "eth0")
                .get(0);
        assertEquals("present", i.action());
    }

    @Test
    void anExistingNetworkWithALargerMtuThanThisUnderlayIsReported() {
        OverlayNetworks.Item i = OverlayNetworks.planAgainst(
                        n -> existing(OVERLAY_1350),
                        List.of(new Codex.OverlayNetwork("traefik-public", true, false, null)),
                        null,
                        1280,
                        "tailscale0")
                .get(0);
        assertEquals("differs", i.action());
        assertTrue(
                i.note().startsWith("exists with MTU 1350, more than this node's tailscale0 1280 - 50 allows"),
                i.note());
        // docker's default (no option) is 1450
        OverlayNetworks.Item d = OverlayNetworks.planAgainst(
                        n -> existing(
                                "{\"Driver\":\"overlay\",\"Scope\":\"swarm\",\"Attachable\":true,\"Options\":{}}"),
                        List.of(new Codex.OverlayNetwork("traefik-public", true, false, null)),
                        null,
                        1280,
                        "tailscale0")
                .get(0);
        assertEquals("differs", d.action());
    }

    @Test
    void anExplicitMtuMustMatchAndOtherDriftIsReported() {
        OverlayNetworks.Item i = OverlayNetworks.planAgainst(
                        n -> existing(OVERLAY_1350),
                        List.of(new Codex.OverlayNetwork("traefik-public", false, true, 1300)),
                        null,
                        1500,
                        "eth0")
                .get(0);
        assertEquals("differs", i.action());
        assertEquals(
                "exists with attachable true, not encrypted, MTU 1350; left as it is (remove it to have it recreated)",
                i.note());
    }
}
