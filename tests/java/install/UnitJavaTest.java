package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import lib.host.Distro;
import lib.install.InstallOptions;
import lib.install.PhasePlan;
import lib.install.TelemetryPhase;
import lib.install.UnitJava;
import lib.proc.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The units run /usr/bin/java: where it is missing (a host that got Java only through JBang's installer) the
 * telemetry phase installs the distro's Java 17 runtime first; under an alternate --root it only says so.
 */
class UnitJavaTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "DEBIAN | apt-get update ; apt-get install -y --no-install-recommends openjdk-17-jre-headless",
                "FEDORA | dnf -y install java-17-openjdk-headless",
                "ALPINE | apk add --no-cache openjdk17-jre-headless",
            })
    void theDistrosJava17RuntimeIsInstalledWithItsPackageManager(Distro.Family family, String expected) {
        List<Command> cmds = UnitJava.commands(family);
        assertEquals(expected, cmds.stream().map(Command::display).collect(Collectors.joining(" ; ")));
    }

    PhasePlan telemetryPlan(TestHost h) {
        return new TelemetryPhase()
                .plan(h.context(
                        InstallOptions.defaults().withJar(StandInJar.in(dir)).withDryRun(true)));
    }

    @Test
    void anAlternateRootWithoutJavaIsToldNotChanged() {
        PhasePlan p = telemetryPlan(new TestHost(dir));
        assertTrue(
                p.notes()
                        .contains("no /usr/bin/java under " + dir.resolve("root")
                                + ": the units need a Java 17 runtime there "
                                + "(on a live host the installer installs openjdk-17-jre-headless)"),
                p.notes().toString());
        assertFalse(
                p.actions().stream().anyMatch(a -> a.kind().equals("run")),
                p.actions().toString());
    }

    @Test
    void aRootWithJavaNeedsNothing() throws Exception {
        TestHost h = new TestHost(dir);
        Files.createDirectories(h.root.resolve("usr/bin"));
        Files.writeString(h.root.resolve("usr/bin/java"), "");
        PhasePlan p = telemetryPlan(h);
        assertTrue(
                p.notes().stream().noneMatch(n -> n.contains("/usr/bin/java")),
                p.notes().toString());
    }
}
