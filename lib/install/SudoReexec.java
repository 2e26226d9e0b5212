package lib.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import lib.proc.Command;
import lib.proc.ProcessRunner;

/**
 * Not root? Run this very JVM command line again through sudo, on the same terminal, keeping the
 * environment variables the installer reads (secrets travel in the environment, never in argv).
 */
public final class SudoReexec {
    static final Duration TIMEOUT = Duration.ofHours(6);

    private SudoReexec() {}

    /** The effective uid from /proc/self/status (the second number of the Uid: line); -1 when unknown. */
    public static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:"))
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** The sudo command line that re-runs this process, or empty when it cannot be rebuilt. */
    public static Optional<List<String>> commandLine(Map<String, String> env) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) return Optional.empty();
        List<String> keep = new ArrayList<>(Settings.ENV);
        keep.addAll(List.of("DOCKER_HOST", "NO_COLOR", "NODE_ID", "ZEROTIER_API_TOKEN_FILE", "JAVA_HOME"));
        List<String> present = keep.stream().filter(env::containsKey).toList();
        List<String> argv = new ArrayList<>(List.of("sudo"));
        if (!present.isEmpty()) argv.add("--preserve-env=" + String.join(",", present));
        argv.add("--");
        argv.add(info.command().get());
        argv.addAll(List.of(info.arguments().get()));
        return Optional.of(argv);
    }

    /** Runs the install again as root and returns its exit code. */
    public static int run(ProcessRunner runner, Map<String, String> env) {
        if (ProcessRunner.which("sudo", env).isEmpty()) {
            throw N0d3Exception.usage("install.java must run as root: run it as root (sudo is not installed here)");
        }
        List<String> argv = commandLine(env)
                .orElseThrow(() -> N0d3Exception.usage("install.java must run as root: run it again with sudo"));
        Log.info("not root: running again through sudo");
        return runner.runInteractive(Command.of(argv).timeout(TIMEOUT));
    }
}
