package install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import lib.install.InstallState;
import lib.install.TargetRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install state file: the typed sections read what earlier versions wrote, and an unchanged state is not rewritten. */
class InstallStateTest {
    /** A state as the untyped InstallState of the previous version wrote it, with the empty sections it left. */
    static final String EARLIER = """
            {
              "schema_version" : 1,
              "files" : {
                "/etc/sysctl.d/60-pr-cybr.conf" : { "original" : { "existed" : false }, "sha256" : "aa11", "mode" : "0644" },
                "/etc/docker/daemon.json" : {
                  "original" : { "existed" : true, "sha256" : "bb22", "mode" : "0600", "backup" : "/var/lib/pr-cybr/backup/etc/docker/daemon.json.20260301T120000Z" },
                  "sha256" : "cc33", "mode" : "0600"
                },
                "/etc/systemd/system/timers.target.wants/pr-cybr-telemetry.timer" : {
                  "original" : { "existed" : false }, "link" : "/etc/systemd/system/pr-cybr-telemetry.timer"
                }
              },
              "dirs" : { "/etc/pr-cybr" : { "original" : { "existed" : true, "mode" : "0750" }, "mode" : "0755" } },
              "created_dirs" : [ "/etc/sysctl.d" ],
              "backups" : [ "/var/lib/pr-cybr/backup/etc/docker/daemon.json.20260301T120000Z" ],
              "docker" : { "installed_by_install" : true, "source" : "distro", "package_manager" : "apt-get", "packages" : [ "docker.io" ],
                           "started_by" : "systemd" },
              "daemon_json" : { "log-opts.max-size" : "10m", "mtu" : 1280 },
              "overlays" : { "zerotier" : { "network_id" : "8056c2e21c000001", "joined_by_install" : true } },
              "swarm" : { "joined_by_install" : true },
              "telemetry" : { "enabled" : [ "pr-cybr-telemetry.timer" ] },
              "registration" : { },
              "java" : { "installed_by_install" : true, "package_manager" : "apt-get", "packages" : [ "openjdk-17-jre-headless" ] },
              "a_newer_section" : { "kept" : true },
              "installed_at" : "2026-03-01T12:00:00Z",
              "updated_at" : "2026-03-01T12:00:00Z",
              "installer_version" : "0.1.0"
            }
            """;

    @TempDir
    Path dir;

    TargetRoot root() throws Exception {
        Path p = dir.resolve("var/lib/pr-cybr/install-state.json");
        if (!Files.exists(p)) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, EARLIER);
        }
        return new TargetRoot(dir);
    }

    @Test
    void anEarlierVersionsStateReadsIntoTheTypedSections() throws Exception {
        InstallState st = InstallState.load(root());
        assertTrue(st.existed());
        assertEquals(
                List.of(
                        "/etc/sysctl.d/60-pr-cybr.conf",
                        "/etc/docker/daemon.json",
                        "/etc/systemd/system/timers.target.wants/pr-cybr-telemetry.timer"),
                st.trackedFiles());
        assertFalse(st.original("/etc/sysctl.d/60-pr-cybr.conf").existed());
        InstallState.Original daemon = st.original("/etc/docker/daemon.json");
        assertEquals(
                new InstallState.Original(
                        true, "bb22", "0600", "/var/lib/pr-cybr/backup/etc/docker/daemon.json.20260301T120000Z"),
                daemon);
        assertEquals("cc33", st.writtenSha("/etc/docker/daemon.json"));
        assertEquals(
                "/etc/systemd/system/pr-cybr-telemetry.timer",
                st.writtenLink("/etc/systemd/system/timers.target.wants/pr-cybr-telemetry.timer"));
        assertEquals(new InstallState.Original(true, null, "0750", null), st.originalDir("/etc/pr-cybr"));
        assertEquals(List.of("/etc/sysctl.d"), st.createdDirs());
        assertEquals(
                new InstallState.Docker(true, "distro", "apt-get", List.of("docker.io"), "systemd", null, null),
                st.get(InstallState.DOCKER));
        assertEquals("10m", st.daemonJson().get("log-opts.max-size").asText());
        assertEquals(1280, st.daemonJson().get("mtu").asInt());
        assertEquals(
                new InstallState.Overlays.ZeroTier("8056c2e21c000001", true),
                st.get(InstallState.OVERLAYS).zerotier());
        assertNull(st.get(InstallState.OVERLAYS).tailscale());
        assertTrue(st.get(InstallState.SWARM).joinedByInstall());
        assertEquals(List.of("pr-cybr-telemetry.timer"), st.telemetryUnits());
        assertNull(st.get(InstallState.REGISTRATION), "an empty section is no section");
        assertEquals(
                new InstallState.JavaRuntime(true, "apt-get", List.of("openjdk-17-jre-headless")),
                st.get(InstallState.JAVA));
    }

    @Test
    void anUnchangedStateIsNotWrittenAndAChangedOneKeepsWhatThisVersionDoesNotKnow() throws Exception {
        TargetRoot t = root();
        Path file = dir.resolve("var/lib/pr-cybr/install-state.json");
        InstallState st = InstallState.load(t);
        assertEquals(List.of(), st.save(t, Instant.parse("2026-04-01T00:00:00Z")));
        assertArrayEquals(
                EARLIER.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Files.readAllBytes(file),
                "nothing changed, nothing written");

        st.set(
                InstallState.REGISTRATION,
                new InstallState.Registration(
                        "node-a", "http://mgmt/api/nodes/register", "dd44", "2026-04-01T00:00:00Z", 201));
        st.set(InstallState.TELEMETRY, null);
        st.save(t, Instant.parse("2026-04-01T00:00:00Z"));
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        assertEquals("2026-03-01T12:00:00Z", n.path("installed_at").asText());
        assertEquals("2026-04-01T00:00:00Z", n.path("updated_at").asText());
        assertEquals(201, n.path("registration").path("http_status").asInt());
        assertEquals("dd44", n.path("registration").path("request_sha256").asText());
        assertFalse(n.has("telemetry"), "a removed section is gone");
        assertFalse(n.path("overlays").has("tailscale"), "nothing is written for an absent value");
        assertTrue(n.path("a_newer_section").path("kept").asBoolean(), "a key this version does not know stays");
        assertEquals(
                "node-a", InstallState.load(t).get(InstallState.REGISTRATION).nodeId(), "read back");
    }
}
