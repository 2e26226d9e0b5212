package lib.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.Project;

/**
 * HostFacts.detect on a fake file system: {@code root} is what the installer would change (etc/os-release,
 * sbin/openrc), {@code live} is where /proc, /run and /.dockerenv are read.
 */
class HostFactsTest {
    @TempDir
    Path root;

    @TempDir
    Path live;

    Map<String, String> env;

    @BeforeEach
    void noDocker() {
        // nothing listens there: docker_running must come out false whatever this machine runs
        env = Map.of("DOCKER_HOST", "unix://" + live.resolve("no-docker.sock"));
    }

    void write(Path base, String rel, String content) throws IOException {
        Path p = base.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    void osRelease(String sample) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.copy(Project.basedir().resolve("tests/resources/os-release/" + sample), root.resolve("etc/os-release"));
    }

    HostFacts detect(String machine) {
        return HostFacts.detect(root, env, machine, live);
    }

    @Test
    void systemdUbuntuOnBareMetal() throws IOException {
        osRelease("ubuntu-24.04");
        Files.createDirectories(live.resolve("run/systemd/system"));
        write(live, "proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
        write(live, "proc/1/cgroup", "0::/init.scope\n");
        HostFacts f = detect("x86_64");
        assertEquals("amd64", f.arch());
        assertNull(f.archError());
        assertEquals("systemd", f.initSystem());
        assertTrue(f.systemdRunning());
        assertEquals("", f.container());
        assertFalse(f.wsl());
        assertEquals(Distro.Family.DEBIAN, f.distro().family());
        assertEquals("noble", f.distro().codename());
        assertFalse(f.dockerRunning());
        assertNull(f.dockerVersion());
    }

    @Test
    void openrcAlpine() throws IOException {
        osRelease("alpine-3.20");
        write(root, "sbin/openrc", "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("sbin/openrc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        HostFacts f = detect("aarch64");
        assertEquals("openrc", f.initSystem());
        assertFalse(f.systemdRunning());
        assertEquals("arm64", f.arch());
        assertEquals("apk", f.distro().family().packageManager());
    }

    @Test
    void noInitSystemInAContainer() throws IOException {
        osRelease("debian-12");
        Files.createFile(live.resolve(".dockerenv"));
        HostFacts f = detect("armv7l");
        assertEquals("none", f.initSystem());
        assertEquals("docker", f.container());
        assertEquals("armv7", f.arch());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        cgroup v1 docker   | proc/1/cgroup       | 12:pids:/docker/3f2b9c0e1d\\n11:memory:/docker/3f2b9c0e1d\\n | docker
        systemd docker     | proc/1/cgroup       | 0::/system.slice/docker-3f2b9c0e1d.scope\\n                   | docker
        lxc                | proc/1/cgroup       | 12:pids:/lxc/web1\\n                                          | lxc
        kubernetes         | proc/1/cgroup       | 0::/kubepods/besteffort/pod1234/abcd\\n                       | kubernetes
        podman marker      | run/.containerenv   | engine="podman-4.9.3"\\n                                      | podman
        cgroup v2 host     | proc/1/cgroup       | 0::/init.scope\\n                                             | ''
        """)
    void containerDetection(String kind, String file, String content, String expected) throws IOException {
        osRelease("debian-12");
        write(live, file, content.replace("\\n", "\n"));
        assertEquals(expected, detect("x86_64").container(), kind);
    }

    @Test
    void containerEnvironmentVariableWins() throws IOException {
        osRelease("fedora-40");
        env = Map.of("container", "systemd-nspawn", "DOCKER_HOST", "unix://" + live.resolve("none.sock"));
        Files.createFile(live.resolve(".dockerenv"));
        assertEquals("systemd-nspawn", detect("x86_64").container());
    }

    @ParameterizedTest
    @CsvSource({
        "5.15.153.1-microsoft-standard-WSL2,true",
        "4.4.0-19041-Microsoft,true",
        "6.1.0-18-amd64,false",
        "6.6.31+rpt-rpi-v8,false"
    })
    void wslFromTheKernelRelease(String kernel, boolean wsl) throws IOException {
        osRelease("ubuntu-22.04");
        write(live, "proc/sys/kernel/osrelease", kernel + "\n");
        assertEquals(wsl, detect("x86_64").wsl());
    }

    @Test
    void unsupportedArchitectureIsReportedNotThrown() throws IOException {
        osRelease("raspios-armhf");
        HostFacts f = detect("armv6l");
        assertNull(f.arch());
        assertTrue(f.archError().startsWith("unsupported architecture 'armv6l'"), f.archError());
        assertEquals("unsupported", f.asMap().get("architecture"));
    }

    @Test
    void jsonCarriesEveryFactUnderStableNames() throws IOException {
        osRelease("linuxmint-21");
        Files.createDirectories(live.resolve("run/systemd/system"));
        JsonNode j = new ObjectMapper().readTree(detect("x86_64").toJson());
        assertEquals(
                List.of(
                        "machine",
                        "architecture",
                        "distro_id",
                        "distro_like",
                        "distro_version",
                        "distro_codename",
                        "distro_name",
                        "distro_family",
                        "package_manager",
                        "init_system",
                        "systemd_running",
                        "container",
                        "wsl",
                        "docker_cli",
                        "dockerd",
                        "docker_running",
                        "docker_version",
                        "docker_api_version"),
                iterable(j.fieldNames()));
        assertEquals("linuxmint", j.path("distro_id").asText());
        assertEquals("ubuntu", j.path("distro_like").path(0).asText());
        assertEquals("jammy", j.path("distro_codename").asText());
        assertEquals("debian", j.path("distro_family").asText());
        assertEquals("apt-get", j.path("package_manager").asText());
        assertTrue(j.path("container").isNull());
        assertFalse(j.path("docker_running").asBoolean(true));
    }

    @Test
    void textIsOneFactPerLine() throws IOException {
        osRelease("rocky-9");
        String text = detect("x86_64").toText();
        assertEquals(18, text.lines().count());
        assertTrue(text.lines().anyMatch(l -> l.matches("distro_family\\s+fedora")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("container\\s+-")), text);
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
