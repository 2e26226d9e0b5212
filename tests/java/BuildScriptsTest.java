import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build_amd.java and build_arm.java as an operator calls them: exit codes and messages of the paths that need no Docker. */
class BuildScriptsTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env;

    @BeforeEach
    void capture() throws IOException {
        Log.redirect(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Files.writeString(tmp.resolve("Dockerfile"), "FROM scratch\n");
        Files.createDirectories(tmp.resolve("binfmt"));
        env = new HashMap<>(Map.of(
                "DOCKER_HOST",
                "unix://" + tmp.resolve("no.sock"),
                "REGISTRY",
                "127.0.0.1:5000",
                "GITHUB_SHA",
                "abcdef0"));
    }

    @AfterEach
    void reset() {
        Log.reset();
    }

    int run(BaseCommand c, String... args) {
        return Cli.execute(c.withEnv(env), args);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadPlatformExits2() {
        assertEquals(2, run(new build_arm(), "--platform", "linux/riscv64", "--context", tmp.toString(), "--dry-run"));
        assertEquals(
                "error: --platform: 'linux/riscv64' is not a supported platform: expected linux/arm64 or linux/arm/v7\n",
                stderr());
        err.reset();
        assertEquals(2, run(new build_amd(), "--platform", "linux/arm/v7", "--context", tmp.toString(), "--dry-run"));
        assertTrue(
                stderr().contains("linux/arm/v7 is not built by build_amd.java (build_arm.java builds it)"), stderr());
    }

    @Test
    void missingQemuExits3NamingSetupQemu() {
        assertEquals(
                3,
                run(
                        new build_arm(),
                        "--context",
                        tmp.toString(),
                        "--binfmt-dir",
                        tmp.resolve("binfmt").toString(),
                        "--dry-run"));
        assertTrue(
                stderr().startsWith(
                                "error: linux/arm64 is not this host's architecture and needs QEMU user emulation, but binfmt_misc is not mounted at "),
                stderr());
        assertTrue(stderr().contains("run again with --setup-qemu"), stderr());
    }

    @Test
    void dryRunOfTheAmd64BuildPrintsThePlanOnStdout() {
        assertEquals(0, run(new build_amd(), "--context", tmp.toString(), "--dry-run", "--push"));
        String plan = out.toString(StandardCharsets.UTF_8);
        assertTrue(plan.startsWith("plan (--dry-run: nothing is registered, built, pushed or written):\n"), plan);
        assertTrue(plan.contains("  push     docker push 127.0.0.1:5000/pr-cybr/n0d3:0.1.0-amd64\n"), plan);
        assertTrue(plan.contains("  push     docker push 127.0.0.1:5000/pr-cybr/n0d3:sha-abcdef0-amd64\n"), plan);
        assertFalse(plan.contains("imagetools"));
    }

    /** The timeouts are DURATIONs (lib.cli.PositiveDuration): a bad one is refused before anything runs, naming the flag. */
    @Test
    void aBadTimeoutExits2NamingTheFlag() {
        assertEquals(2, run(new build_amd(), "--context", tmp.toString(), "--dry-run", "--build-timeout", "forever"));
        assertEquals(
                "error: --build-timeout: expected a duration such as 500ms, 60s, 5m, 1h or 7d, got 'forever' (see 'build_amd.java --help')\n",
                stderr());
        err.reset();
        assertEquals(2, run(new build_arm(), "--context", tmp.toString(), "--dry-run", "--smoke-timeout", "0s"));
        assertTrue(stderr().startsWith("error: --smoke-timeout: expected a duration above zero"), stderr());
    }

    @Test
    void aPasswordWithoutAUserIsAUsageErrorThatDoesNotShowIt() {
        env.put("REGISTRY_PASSWORD", "never-show-this-pw");
        assertEquals(2, run(new build_amd(), "--context", tmp.toString(), "--dry-run", "--push"));
        assertFalse(stderr().contains("never-show-this-pw"));
        assertTrue(stderr().contains("no user name"), stderr());
    }
}
