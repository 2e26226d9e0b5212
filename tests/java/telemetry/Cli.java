package telemetry;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * telemetry.java as a separate process, exactly as {@code java -jar n0d3.jar telemetry ...} runs it
 * (the Launcher, the test class path instead of the shaded jar, which is built after the tests).
 */
final class Cli {
    private Cli() {}

    record Result(int exit, List<String> stdout, String stderr) {}

    static ProcessBuilder builder(Map<String, String> env, Path outFile, Path errFile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                "lib.cli.Launcher",
                "telemetry"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment()
                .keySet()
                .removeIf(k -> List.of(
                                "MGMT_NODE_URL",
                                "API_TOKEN",
                                "API_TOKEN_FILE",
                                "DOCKER_HOST",
                                "NODE_ID",
                                "NODE_NAME",
                                "TELEMETRY_INTERVAL")
                        .contains(k));
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        pb.redirectOutput(outFile.toFile());
        pb.redirectError(errFile.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    static Result run(Path work, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = builder(env, out, err, args).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("telemetry " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), lines(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    static List<String> lines(Path f) throws IOException {
        List<String> l = new ArrayList<>();
        for (String s : Files.readString(f, StandardCharsets.UTF_8).split("\n")) if (!s.isBlank()) l.add(s);
        return l;
    }
}
