package lib.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import support.ChildJvm;

/**
 * Runs a top-level script (build_amd, build_arm) in a fresh JVM on the test class path, as an operator
 * would (support.ChildJvm): real exit code, stdout and stderr, an environment we control exactly (the
 * variables the scripts read are removed unless given), a bound long enough for builds under QEMU.
 */
final class ScriptRun {
    /** Variables the build scripts read: never inherited from the JVM running the tests. */
    static final List<String> SCRUB = List.of(
            "REGISTRY",
            "IMAGE_NAME",
            "VERSION",
            "REGISTRY_USERNAME",
            "REGISTRY_PASSWORD",
            "REGISTRY_PASSWORD_FILE",
            "GITHUB_OUTPUT",
            "GITHUB_STEP_SUMMARY",
            "GITHUB_SHA",
            "GITHUB_SERVER_URL",
            "GITHUB_REPOSITORY",
            "DOCKER_HOST",
            "DOCKER_CONFIG",
            "DOCKER_CONTEXT",
            "SOURCE_DATE_EPOCH",
            "NO_COLOR");

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
        List<String> cmd = new ArrayList<>(List.of(
                ChildJvm.java(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** {@code prefix} (e.g. an unshare wrapper) + java -cp ... MAIN ARGS. */
    static Result run(
            List<String> prefix, String mainClass, Map<String, String> env, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(javaCommand(mainClass, List.of(args)));
        return exec(cmd, env, timeout);
    }

    static Result run(String mainClass, Map<String, String> env, Duration timeout, String... args) {
        return run(List.of(), mainClass, env, timeout, args);
    }

    static Result exec(List<String> cmd, Map<String, String> env, Duration timeout) {
        Map<String, String> e = new HashMap<>();
        SCRUB.forEach(k -> e.put(k, null));
        e.putAll(env);
        long t0 = System.nanoTime();
        ChildJvm.Result r = ChildJvm.run(cmd, e, (Path) null, timeout);
        return new Result(r.exit(), r.stdout(), r.stderr(), (System.nanoTime() - t0) / 1_000_000);
    }
}
