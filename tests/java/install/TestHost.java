package install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import lib.config.Settings;
import lib.docker.DockerClient;
import lib.host.HostFacts;
import lib.install.InstallContext;
import lib.install.InstallOptions;
import lib.install.InstallRun;
import lib.install.InstallState;
import lib.install.TargetRoot;
import lib.overlay.OverlaySettings;
import lib.proc.ProcessRunner;

/**
 * A host for installer tests: a scratch target root with an os-release, and a scratch "live" tree with the
 * /proc files preflight reads (a memory cgroup, 2 GiB of memory, a host name), so no test depends on the
 * machine it runs on. Docker is whatever DOCKER_HOST in {@link #env} points at (nothing by default).
 */
final class TestHost {
    static final String DEBIAN_12 = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION="12 (bookworm)"
            VERSION_CODENAME=bookworm
            ID=debian
            HOME_URL="https://www.debian.org/"
            SUPPORT_URL="https://www.debian.org/support"
            BUG_REPORT_URL="https://bugs.debian.org/"
            """;

    final Path root;
    final Path live;
    final Map<String, String> env = new HashMap<>();
    String machine = "x86_64";
    String codex = "";
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    TestHost(Path dir) {
        this.root = dir.resolve("root");
        this.live = dir.resolve("live");
        write(root.resolve("etc/os-release"), DEBIAN_12);
        write(
                live.resolve("proc/cgroups"),
                "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\t4\t1\nmemory\t4\t42\t1\n");
        write(live.resolve("proc/meminfo"), "MemTotal:        4194304 kB\nMemFree:         1024000 kB\n");
        write(live.resolve("proc/sys/kernel/hostname"), "node-a\n");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"));
    }

    TestHost osRelease(String text) {
        write(root.resolve("etc/os-release"), text);
        return this;
    }

    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Settings settings() {
        return Settings.fromText("codex.yaml", codex, env);
    }

    HostFacts facts() {
        return HostFacts.detect(root, env, machine, live);
    }

    InstallContext context(InstallOptions o) {
        TargetRoot t = new TargetRoot(root);
        return new InstallContext(
                t,
                live,
                settings(),
                facts(),
                new ProcessRunner(),
                DockerClient.fromEnv(env),
                InstallState.load(t),
                o,
                env,
                clock,
                new InstallContext.Decided());
    }

    /** A whole run with no overlay configured. */
    InstallRun run(InstallOptions o) {
        return new InstallRun(
                settings(),
                facts(),
                new TargetRoot(root),
                live,
                o,
                null,
                false,
                true,
                env,
                OverlaySettings.none(),
                clock,
                null,
                false);
    }
}
