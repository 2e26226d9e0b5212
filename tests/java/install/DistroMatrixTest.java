package install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.host.Distro;
import lib.install.DockerPackages;
import lib.install.InstallContext;
import lib.install.InstallOptions;
import lib.install.Preflight;
import lib.plan.Step;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import support.Project;

/**
 * The distro and architecture matrix on the real os-release samples of tests/resources/os-release: which family,
 * and the exact commands and apt source line that install Docker there (distro packages and Docker CE).
 */
class DistroMatrixTest {
    static final Path SAMPLES = Project.basedir().resolve("tests/resources/os-release");

    @TempDir
    Path dir;

    TestHost host(String sample, String machine, String source) throws IOException {
        TestHost h = new TestHost(dir).osRelease(Files.readString(SAMPLES.resolve(sample)));
        h.machine = machine;
        h.codex = "install:\n  docker:\n    source: " + source + "\n";
        return h;
    }

    static String commands(DockerPackages.Install i) {
        StringBuilder sb = new StringBuilder();
        for (Step<?> a : i.actions())
            sb.append(a.kind())
                    .append(' ')
                    .append(a.summary().replaceFirst("   # .*$", ""))
                    .append('\n');
        return sb.toString();
    }

    @ParameterizedTest(name = "{0} ({1}): {2} family, {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "debian-12      | x86_64  | DEBIAN | apt-get install -y docker.io",
                "ubuntu-22.04   | x86_64  | DEBIAN | apt-get install -y docker.io",
                "ubuntu-24.04   | aarch64 | DEBIAN | apt-get install -y docker.io",
                "raspios-armhf  | armv7l  | DEBIAN | apt-get install -y docker.io",
                "raspios-arm64  | aarch64 | DEBIAN | apt-get install -y docker.io",
                "linuxmint-21   | x86_64  | DEBIAN | apt-get install -y docker.io",
                "pop-22.04      | x86_64  | DEBIAN | apt-get install -y docker.io",
                "fedora-40      | x86_64  | FEDORA | dnf -y install moby-engine",
                "rocky-9        | x86_64  | FEDORA | dnf -y install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin",
                "alpine-3.20    | aarch64 | ALPINE | apk add --no-cache docker",
            })
    void distroPackages(String sample, String machine, Distro.Family family, String installCommand) throws IOException {
        InstallContext c = host(sample, machine, "distro")
                .context(InstallOptions.defaults().withDryRun(true));
        new Preflight().validate(c);
        assertEquals(family, c.family());
        String cmds = commands(DockerPackages.plan(c, "distro"));
        assertTrue(cmds.contains("run " + installCommand + "\n"), cmds);
    }

    @ParameterizedTest(name = "{0} ({1}): Docker CE from {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "debian-12      | x86_64  | deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable",
                "ubuntu-22.04   | x86_64  | deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu jammy stable",
                "ubuntu-24.04   | aarch64 | deb [arch=arm64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu noble stable",
                "raspios-armhf  | armv7l  | deb [arch=armhf signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/raspbian bookworm stable",
                "raspios-arm64  | aarch64 | deb [arch=arm64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable",
                "linuxmint-21   | x86_64  | deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu jammy stable",
                "pop-22.04      | x86_64  | deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu jammy stable",
            })
    void dockerCeAptSource(String sample, String machine, String line) throws IOException {
        InstallContext c = host(sample, machine, "docker-ce")
                .context(InstallOptions.defaults().withDryRun(true));
        DockerPackages.Install i = DockerPackages.plan(c, "docker-ce");
        String list = i.actions().stream()
                .filter(a -> a.kind().equals("write"))
                .findFirst()
                .orElseThrow()
                .detail();
        assertTrue(list.contains("\n+" + line), list);
        String cmds = commands(i);
        assertTrue(
                cmds.startsWith(
                        "run apt-get update\nrun apt-get install -y ca-certificates curl\nrun install -m 0755 -d /etc/apt/keyrings\n"
                                + "run curl -fsSL https://download.docker.com/linux/"
                                + line.split(" ")[3].replace("https://download.docker.com/linux/", "")
                                + "/gpg -o /etc/apt/keyrings/docker.asc\n"),
                cmds);
        assertTrue(
                cmds.endsWith(
                        "run apt-get update\nrun apt-get install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin\n"),
                cmds);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "fedora-40 | dnf config-manager --add-repo https://download.docker.com/linux/fedora/docker-ce.repo",
                "rocky-9   | dnf config-manager --add-repo https://download.docker.com/linux/centos/docker-ce.repo",
            })
    void dockerCeDnfRepository(String sample, String repoCommand) throws IOException {
        InstallContext c = host(sample, "x86_64", "docker-ce")
                .context(InstallOptions.defaults().withDryRun(true));
        assertEquals(
                List.of(
                        "run dnf -y install dnf-plugins-core",
                        "run " + repoCommand,
                        "run dnf -y install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin"),
                commands(DockerPackages.plan(c, "docker-ce")).lines().toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-nixos-24.05", "unknown-gentoo"})
    void anUnknownDistroIsAUsageErrorThatPrintsItsFactsAndOffersForceDistro(String sample) throws IOException {
        TestHost h = host(sample, "x86_64", "distro");
        N0d3Exception e =
                assertThrows(N0d3Exception.class, () -> new Preflight().validate(h.context(InstallOptions.defaults())));
        assertEquals(ExitCode.USAGE, e.exitCode());
        String id = Files.readAllLines(SAMPLES.resolve(sample)).stream()
                .filter(l -> l.startsWith("ID="))
                .findFirst()
                .orElseThrow()
                .substring(3)
                .replace("\"", "");
        assertTrue(
                e.getMessage().startsWith("unsupported distribution (ID='" + id + "' ID_LIKE=(none) VERSION_ID="),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("run again with --force-distro debian|fedora|alpine"), e.getMessage());

        InstallContext forced = h.context(InstallOptions.defaults().withForceDistro(Distro.Family.DEBIAN));
        new Preflight().validate(forced);
        assertEquals(Distro.Family.DEBIAN, forced.family());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"x86_64, amd64", "aarch64, arm64", "armv7l, armv7", "armv8l, armv7"})
    void supportedMachines(String machine, String arch) throws IOException {
        InstallContext c = host("debian-12", machine, "distro").context(InstallOptions.defaults());
        new Preflight().validate(c);
        assertEquals(arch, c.facts().arch());
    }

    @ParameterizedTest
    @ValueSource(strings = {"riscv64", "i686", "armv6l", "mips64"})
    void anUnsupportedArchitectureIsAUsageError(String machine) throws IOException {
        N0d3Exception e = assertThrows(
                N0d3Exception.class,
                () -> new Preflight()
                        .validate(host("debian-12", machine, "distro").context(InstallOptions.defaults())));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(
                "unsupported architecture '" + machine
                        + "': PR-CYBR-N0D3 supports amd64 (x86_64), arm64 (aarch64) and armv7 (armv7l)",
                e.getMessage());
    }
}
