package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lib.install.InstallOptions;
import lib.install.Installer;
import lib.install.Phase;
import lib.install.SystemSettingsPhase;
import lib.install.TelemetryPhase;
import lib.install.Uninstaller;
import lib.overlay.OverlaySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install and uninstall of the file-writing phases on a scratch root (no Docker needed here; the whole
 * install with Docker is InstallLabTest): the operator's later edits to daemon.json survive the uninstall.
 */
class UninstallTest {
    @TempDir
    Path dir;

    void install(TestHost h) throws Exception {
        Path jar = StandInJar.in(dir);
        List<Phase> phases = List.of(new SystemSettingsPhase(OverlaySettings.none()), new TelemetryPhase());
        new Installer(phases).run(h.context(InstallOptions.defaults().withJar(jar)));
    }

    void uninstall(TestHost h, boolean purge) {
        new Installer(Uninstaller.phases(new Uninstaller.Options(purge, false, false)))
                .run(h.context(InstallOptions.defaults()));
    }

    @Test
    void anOperatorsLaterEditOfDaemonJsonIsKeptOnlyTheInstallersKeysGo() throws Exception {
        TestHost h = new TestHost(dir);
        Snapshot before = Snapshot.of(h.root);
        install(h);
        Path dj = h.root.resolve("etc/docker/daemon.json");
        Files.writeString(
                dj,
                "{\n  \"debug\": true,\n  \"log-opts\": {\n    \"max-size\": \"10m\",\n    \"max-file\": \"7\"\n  }\n}\n");
        uninstall(h, false);
        assertEquals(
                "{\"debug\":true,\"log-opts\":{\"max-file\":\"7\"}}",
                new ObjectMapper().readTree(dj.toFile()).toString(),
                "max-size still held the installer's value and went; max-file was the operator's and stays");
        assertFalse(Files.exists(h.root.resolve("etc/sysctl.d/60-pr-cybr.conf")));
        assertFalse(Files.exists(h.root.resolve("etc/systemd")), "units, link and the folders made for them are gone");
        assertTrue(
                Files.exists(h.root.resolve("var/lib/pr-cybr/install-state.json")), "without --purge the state stays");
        uninstall(h, true);
        Files.delete(dj);
        Files.delete(dj.getParent());
        assertEquals(before, Snapshot.of(h.root), before.diff(Snapshot.of(h.root)));
    }

    @Test
    void aFileRemovedByHandIsJustForgotten() throws Exception {
        TestHost h = new TestHost(dir);
        Snapshot before = Snapshot.of(h.root);
        install(h);
        Files.delete(h.root.resolve("etc/pr-cybr/telemetry.env"));
        uninstall(h, true);
        assertEquals(before, Snapshot.of(h.root), before.diff(Snapshot.of(h.root)));
    }

    @Test
    void aReinstallAfterAHandEditWritesTheFileBack() throws Exception {
        TestHost h = new TestHost(dir);
        install(h);
        Path timer = h.root.resolve("etc/systemd/system/pr-cybr-telemetry.timer");
        String good = Files.readString(timer);
        Files.writeString(timer, good.replace("OnUnitActiveSec=1m", "OnUnitActiveSec=5s"));
        var c = h.context(
                InstallOptions.defaults().withJar(dir.resolve("n0d3.jar")).withDryRun(true));
        var plan = new Installer(List.of(new TelemetryPhase())).run(c);
        String text = plan.render();
        assertTrue(text.contains("-OnUnitActiveSec=5s\n             +OnUnitActiveSec=1m"), text);
        install(h);
        assertEquals(good, Files.readString(timer));
    }
}
