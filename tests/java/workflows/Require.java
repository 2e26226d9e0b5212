package workflows;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * For checks that need a tool outside the JVM (node tools, yamllint, shellcheck): skip with the
 * reason when it is missing, but FAIL when N0D3_REQUIRE_LAB=1 (CI), so a missing install step can
 * never turn a check into a silent skip.
 */
public final class Require {
    private Require() {}

    public static boolean strict() {
        return support.Need.strict();
    }

    public static void tool(boolean present, String reason) {
        support.Need.that(present, reason);
    }

    public static Path basedir() {
        return Path.of(System.getProperty("n0d3.basedir", ".")).toAbsolutePath().normalize();
    }

    public static Optional<Path> onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    public record Proc(int exit, String out) {}

    /** Runs a command (stderr merged into stdout) with a timeout; a timeout fails the test. */
    public static Proc run(Path dir, Map<String, String> env, List<String> command, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timed out after " + timeoutSeconds + " s: " + command);
            }
            reader.join();
            return new Proc(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }
}
