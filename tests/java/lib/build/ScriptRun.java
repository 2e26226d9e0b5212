package lib.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a top-level script (build_amd, build_arm) in a fresh JVM on the test class path, as an operator
 * would: real exit code, real stdout and stderr, an environment we control exactly (variables of the
 * test JVM that the scripts read are removed unless given), a generous timeout for builds under QEMU.
 */
final class ScriptRun {
    /** Variables the build scripts read: never inherited from the JVM running the tests. */
    static final List<String> SCRUB = List.of("REGISTRY", "IMAGE_NAME", "VERSION", "REGISTRY_USERNAME", "REGISTRY_PASSWORD",
            "REGISTRY_PASSWORD_FILE", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_SHA", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY",
            "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "SOURCE_DATE_EPOCH", "NO_COLOR");

    record Result(int exit, String stdout, String stderr, long millis) {
        String all() {
            return stdout + "\n" + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private ScriptRun() {}

    static List<String> javaCommand(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** {@code prefix} (e.g. an unshare wrapper) + java -cp ... MAIN ARGS. */
    static Result run(List<String> prefix, String mainClass, Map<String, String> env, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(javaCommand(mainClass, List.of(args)));
        return exec(cmd, env, timeout);
    }

    static Result run(String mainClass, Map<String, String> env, Duration timeout, String... args) {
        return run(List.of(), mainClass, env, timeout, args);
    }

    static Result exec(List<String> cmd, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        SCRUB.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
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
                throw new AssertionError("timed out after " + timeout + ": " + cmd);
            }
            to.join();
            te.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    (System.nanoTime() - t0) / 1_000_000);
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
