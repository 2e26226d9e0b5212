package support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of this build in a fresh JVM, on the test class path (or a given jar), the way an
 * operator runs a script: real exit code, real stdout and stderr.
 */
public final class ChildJvm {
    public record Result(int exit, String stdout, String stderr) {
        public List<String> stderrLines() {
            return stderr.isEmpty() ? List.of() : List.of(stderr.split("\\R"));
        }
    }

    private ChildJvm() {}

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -cp <test class path> MAIN ARGS}, environment = ours plus {@code env} (null values remove). */
    public static Result runMain(String mainClass, Map<String, String> env, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                java(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        cmd.addAll(List.of(args));
        return run(cmd, env, dir);
    }

    /** {@code java -jar JAR ARGS}. */
    public static Result runJar(Path jar, Map<String, String> env, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, env, dir);
    }

    public static Result run(List<String> cmd, Map<String, String> env, Path dir) {
        return run(cmd, env, dir, java.time.Duration.ofSeconds(120));
    }

    /** Like {@link #run(List, Map, Path)} with another bound (builds under QEMU take longer). */
    public static Result run(List<String> cmd, Map<String, String> env, Path dir, java.time.Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) pb.directory(dir.toFile());
        if (env != null) {
            env.forEach((k, v) -> {
                if (v == null) pb.environment().remove(k);
                else pb.environment().put(k, v);
            });
        }
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread to = pump(p.getInputStream(), out);
            Thread te = pump(p.getErrorStream(), err);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s: " + cmd);
            }
            to.join();
            te.join();
            return new Result(
                    p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // the process went away
            }
        });
        t.start();
        return t;
    }
}
