package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lib.host.Arch;
import lib.proc.Command;
import lib.proc.ProcessRunner;
import lib.secret.Secret;
import org.junit.jupiter.api.Test;

class DockerCliTest {
    final DockerCli cli =
            new DockerCli(new ProcessRunner(), Map.of("DOCKER_HOST", "unix:///x.sock", "HOME", "/root"), "docker");

    @Test
    void buildArgvCarriesEverythingAndEndsWithTheContext() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.version", "1.0");
        labels.put("org.opencontainers.image.title", "n0d3 node");
        BuildSpec s = new BuildSpec(
                "default",
                Arch.ARMV7,
                Path.of("ctx"),
                Path.of("ctx/Dockerfile"),
                Map.of("JRE_IMAGE", "r/jre:17"),
                labels,
                List.of("r/i:1.0-armv7", "r/i:sha-0123456-armv7"),
                List.of("type=registry,ref=r/i:cache"),
                List.of("type=inline"),
                "none",
                true);
        assertEquals(
                List.of(
                        "docker",
                        "buildx",
                        "build",
                        "--builder",
                        "default",
                        "--platform",
                        "linux/arm/v7",
                        "--file",
                        "ctx/Dockerfile",
                        "--progress",
                        "plain",
                        "--network",
                        "none",
                        "--pull",
                        "--build-arg",
                        "JRE_IMAGE=r/jre:17",
                        "--label",
                        "org.opencontainers.image.version=1.0",
                        "--label",
                        "org.opencontainers.image.title=n0d3 node",
                        "--tag",
                        "r/i:1.0-armv7",
                        "--tag",
                        "r/i:sha-0123456-armv7",
                        "--cache-from",
                        "type=registry,ref=r/i:cache",
                        "--cache-to",
                        "type=inline",
                        "--load",
                        "ctx"),
                cli.build(s));
    }

    @Test
    void minimalBuildHasNoOptionalFlags() {
        BuildSpec s = new BuildSpec(
                "b",
                Arch.AMD64,
                Path.of("."),
                Path.of("./Dockerfile"),
                Map.of(),
                Map.of(),
                List.of("i:1-amd64"),
                List.of(),
                List.of(),
                null,
                false);
        assertEquals(
                List.of(
                        "docker",
                        "buildx",
                        "build",
                        "--builder",
                        "b",
                        "--platform",
                        "linux/amd64",
                        "--file",
                        "./Dockerfile",
                        "--progress",
                        "plain",
                        "--tag",
                        "i:1-amd64",
                        "--load",
                        "."),
                cli.build(s));
    }

    @Test
    void loginPutsThePasswordOnStdinNeverOnTheCommandLine() {
        Secret pw = new Secret("s3cr3t-registry-pw", "test");
        Command c = cli.loginCommand("127.0.0.1:5000", "ci-bot", pw, Duration.ofSeconds(5));
        assertEquals(
                List.of("docker", "login", "--username", "ci-bot", "--password-stdin", "127.0.0.1:5000"), c.argv());
        assertFalse(String.join(" ", c.argv()).contains(pw.reveal()));
        assertFalse(c.display().contains(pw.reveal()));
        assertEquals(List.of("docker", "login", "--username", "u", "--password-stdin"), cli.login("", "u"));
    }

    @Test
    void dockerClientSettingsAreHandedOn() throws Exception {
        Command c = cli.command(List.of("docker", "info"), Duration.ofSeconds(1));
        var f = Command.class.getDeclaredField("env");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, String> env = (Map<String, String>) f.get(c);
        assertEquals("unix:///x.sock", env.get("DOCKER_HOST"));
        assertFalse(env.containsKey("HOME"), "only docker's own settings are handed on");
        for (String secret : DockerCli.SCRUB_ENV) {
            assertTrue(
                    env.containsKey(secret) && env.get(secret) == null,
                    secret + " is removed from the child's environment");
        }
    }

    @Test
    void smokePushAndImagetools() {
        assertEquals(
                List.of("docker", "create", "--pull=never", "--platform", "linux/arm64", "r/i:1-arm64", "uname", "-m"),
                cli.smokeCreate("r/i:1-arm64", Arch.ARM64, List.of("uname", "-m")));
        assertEquals(List.of("docker", "start", "--attach", "c0ffee"), cli.startAttached("c0ffee"));
        assertEquals(List.of("docker", "rm", "--force", "c0ffee"), cli.removeContainer("c0ffee"));
        assertEquals(List.of("docker", "push", "r/i:1-arm64"), cli.push("r/i:1-arm64"));
        assertEquals(
                List.of(
                        "docker",
                        "buildx",
                        "imagetools",
                        "create",
                        "--tag",
                        "r/i:1",
                        "--tag",
                        "r/i:sha-0123456",
                        "r/i:1-amd64",
                        "r/i:1-arm64"),
                cli.imagetoolsCreate(List.of("r/i:1", "r/i:sha-0123456"), List.of("r/i:1-amd64", "r/i:1-arm64")));
        assertEquals(
                List.of("docker", "buildx", "imagetools", "inspect", "--raw", "r/i:1"), cli.imagetoolsRaw("r/i:1"));
        assertEquals(
                List.of(
                        "docker",
                        "buildx",
                        "create",
                        "--name",
                        "n0d3",
                        "--driver",
                        "docker-container",
                        "--driver-opt",
                        "network=host",
                        "--bootstrap"),
                cli.createBuilder("n0d3", "docker-container", List.of("network=host")));
    }

    /** Output of docker push (docker CLI 28.2 against dockerd 20.10), as seen in the lab. */
    @Test
    void pushDigestIsReadFromDockerPushOutput() {
        String out = """
                The push refers to repository [127.0.0.1:5090/t/x]
                0cbcd5581cb6: Preparing
                52dc81c112ed: Preparing
                0cbcd5581cb6: Pushed
                52dc81c112ed: Pushed
                1-arm64: digest: sha256:5e7abe53f7978596e692d8339d061e660c989f546b37a47420632a7ecb4149aa size: 736
                """;
        assertEquals(
                Optional.of("sha256:5e7abe53f7978596e692d8339d061e660c989f546b37a47420632a7ecb4149aa"),
                DockerCli.pushDigest(out));
        assertEquals(Optional.empty(), DockerCli.pushDigest("The push refers to repository [x]\n"));
    }

    /** Output of docker buildx inspect --bootstrap (buildx 0.13.1, docker driver, QEMU registered). */
    @Test
    void builderInspectionIsParsed() {
        String out = """
                Name:   default
                Driver: docker

                Nodes:
                Name:             default
                Endpoint:         default
                Status:           running
                BuildKit version: v0.8+unknown
                Platforms:        linux/amd64, linux/386, linux/arm64, linux/arm/v7, linux/arm/v6
                """;
        DockerCli.BuilderInfo i = DockerCli.parseInspect(out);
        assertEquals("default", i.name());
        assertEquals("docker", i.driver());
        assertEquals("running", i.status());
        assertEquals(List.of("linux/amd64", "linux/386", "linux/arm64", "linux/arm/v7", "linux/arm/v6"), i.platforms());
        assertTrue(DockerCli.parseInspect("Platforms: linux/amd64*, linux/arm64\n")
                .platforms()
                .contains("linux/amd64"));
    }
}
