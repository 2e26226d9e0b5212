package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixture's own logic, without a lab. */
class LabUnitTest {

    @Test
    void parsesTheEnvLinesOfLabSh() {
        Map<String, String> env =
                Lab.parseEnv("LAB_ID=7\nLAB_DIR=/tmp/n0d3-lab-7\nLAB_X=a\\ b\\,c\nnot a variable\nlab.sh: progress\n");
        assertEquals(Map.of("LAB_ID", "7", "LAB_DIR", "/tmp/n0d3-lab-7", "LAB_X", "a b,c"), env);
    }

    @Test
    void idsDerivedFromClassNamesStayInTheAutomaticRange() {
        for (String n : List.of("a", "lab.LabSmokeTest", "swarm.SwarmJoinLabTest", "x".repeat(300))) {
            int id = LabOptions.idFor(n);
            assertTrue(id >= 20 && id <= 200, n + " -> " + id);
            assertEquals(id, LabOptions.idFor(n), "stable");
        }
    }

    @Test
    void optionsBecomeLabShFlags() {
        LabOptions o = LabOptions.nodes(3, LabUnitTest.class)
                .withRegistry()
                .withHostDaemon()
                .withBinfmt()
                .withBusybox();
        assertEquals(List.of("--nodes", "3", "--registry", "--binfmt", "--host-daemon", "--busybox"), o.flags());
        assertEquals(42, o.withId(42).id());
        assertEquals(42, o.withId(42).preferredId());
        assertEquals(
                List.of(
                        "--nodes",
                        "2",
                        "--dockerd-host",
                        "2=tcp://0.0.0.0:2375",
                        "--dockerd-host",
                        "unix:///run/x.sock"),
                LabOptions.nodes(2, LabUnitTest.class)
                        .withDockerdHost(2, "tcp://0.0.0.0:2375")
                        .withDockerdHost(0, "unix:///run/x.sock")
                        .flags());
    }

    @Test
    void rejectsImpossibleOptions() {
        assertThrows(IllegalArgumentException.class, () -> LabOptions.nodes(0, LabUnitTest.class));
        assertThrows(IllegalArgumentException.class, () -> LabOptions.nodes(21, LabUnitTest.class));
        assertThrows(
                IllegalArgumentException.class,
                () -> LabOptions.nodes(1, LabUnitTest.class).withId(201));
    }
}
