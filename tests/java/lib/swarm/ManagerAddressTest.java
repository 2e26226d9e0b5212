package lib.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;

class ManagerAddressTest {
    @Test
    void defaultsToPort2377() {
        assertEquals(new ManagerAddress("10.0.0.1", 2377), ManagerAddress.parse("10.0.0.1", "x"));
        assertEquals("10.0.0.1:2377", ManagerAddress.parse(" 10.0.0.1 ", "x").toString());
    }

    @Test
    void takesHostPortNamesAndIpv6() {
        assertEquals(
                "mgr-1.example:2400",
                ManagerAddress.parse("MGR-1.example:2400", "x").toString());
        assertEquals("[fd00::1]:2377", ManagerAddress.parse("fd00::1", "x").toString());
        assertEquals(
                "[fd00::1]:2400", ManagerAddress.parse("[fd00::1]:2400", "x").toString());
        assertEquals("[fd00::1]:2377", ManagerAddress.parse("[fd00::1]", "x").toString());
    }

    @Test
    void rejectsBadFormsNamingTheSource() {
        for (String bad : new String[] {
            "", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:99999", "host:port", "[fd00::1", "[host]:1", "a b", "-x"
        }) {
            N0d3Exception e =
                    assertThrows(N0d3Exception.class, () -> ManagerAddress.parse(bad, "SWARM_MANAGER_IP"), bad);
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().startsWith("SWARM_MANAGER_IP: expected a manager address"), e.getMessage());
        }
    }
}
