package lib.build;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import lib.proc.ProcessResult;

/**
 * Runs a freshly built image for its own platform (natively, or under QEMU when the host is another
 * architecture) and fails the build (exit 1) when it does not work: the image's config must name the
 * platform, the command must exit 0, and its output must match the expectation when one is given.
 */
public final class SmokeTest {
    /** The placeholder in --smoke-expect replaced by what {@code uname -m} prints for the platform (letters, digits and _ only). */
    public static final String MACHINE = "{machine}";

    /** What one smoke test saw. */
    public record Result(String command, String output, long millis, boolean emulated) {}

    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(30);

    private final DockerCli cli;
    private final java.util.function.Function<String, JsonNode> inspect;

    /** {@code inspect}: image reference to its inspection (Engine API or docker image inspect, whichever reaches the CLI's daemon). */
    public SmokeTest(DockerCli cli, java.util.function.Function<String, JsonNode> inspect) {
        this.cli = cli;
        this.inspect = inspect;
    }

    /**
     * Splits a command line the way a POSIX shell would split words: white space separates, single quotes
     * keep everything, double quotes keep all but backslash escapes, a backslash escapes the next character.
     * Nothing is expanded. Unbalanced quotes are a usage error naming {@code flag}.
     */
    public static List<String> split(String line, String flag) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else cur.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0)
                    cur.append(line.charAt(++i));
                else cur.append(c);
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') quote = c;
                else if (c == '\\' && i + 1 < line.length()) cur.append(line.charAt(++i));
                else cur.append(c);
            }
        }
        if (quote != 0) throw N0d3Exception.usage(flag + ": unbalanced " + quote + " quote in '" + line + "'");
        if (inWord) out.add(cur.toString());
        if (out.isEmpty()) throw N0d3Exception.usage(flag + ": empty command");
        return out;
    }

    /** The --smoke-expect regular expression for one platform ({machine} replaced); null when none was given. */
    public static Pattern expectation(String regex, Arch a, String flag) {
        if (regex == null || regex.isEmpty()) return null;
        try {
            return Pattern.compile(regex.replace(MACHINE, Platforms.machine(a)), Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            throw N0d3Exception.usage(
                    flag + ": not a regular expression: " + e.getDescription() + " in '" + regex + "'");
        }
    }

    /**
     * Checks the image config's platform, then runs {@code cmd} in it: {@code docker create}, {@code docker start
     * --attach}, {@code docker rm --force}. Only what the container prints is judged; what docker itself prints
     * while creating the container (e.g. "WARNING: IPv4 forwarding is disabled") goes to {@code dockerWarnings},
     * one line each, before the container runs. Exit 1 with the evidence on failure; the container is removed
     * either way.
     */
    public Result run(
            String ref,
            Arch arch,
            List<String> cmd,
            Pattern expect,
            Duration timeout,
            boolean emulated,
            Consumer<String> dockerWarnings) {
        String where = ref + " (" + arch.platform() + (emulated ? ", under QEMU" : ", native") + ")";
        JsonNode img = inspect.apply(ref);
        String[] want = Platforms.imageArchitecture(arch);
        String gotArch = img.path("Architecture").asText("");
        String gotVariant = img.path("Variant").asText("");
        if (!gotArch.equals(want[0]) || (!want[1].isEmpty() && !want[1].equals(gotVariant))) {
            throw N0d3Exception.failure("smoke test of " + where + " failed: the image is for " + gotArch
                    + (gotVariant.isEmpty() ? "" : "/" + gotVariant) + ", not " + arch.platform());
        }
        String shown = String.join(" ", cmd);
        long t0 = System.nanoTime();
        ProcessResult created = cli.runAnyExit(cli.command(cli.smokeCreate(ref, arch, cmd), timeout));
        String id = created.stdout().strip();
        if (!created.ok() || id.isEmpty() || id.contains("\n")) {
            throw N0d3Exception.failure("smoke test of " + where + " failed: docker create exited " + created.exitCode()
                    + (created.stderr().isBlank()
                            ? ""
                            : ": " + tail(created.stderr().strip())));
        }
        created.stderr().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(dockerWarnings);
        ProcessResult r;
        try {
            r = cli.runAnyExit(cli.command(cli.startAttached(id), timeout));
        } finally {
            cli.runAnyExit(cli.command(cli.removeContainer(id), REMOVE_TIMEOUT));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String out = r.stdout().strip();
        if (!r.ok()) {
            String evidence = (r.stderr().strip() + " " + out).strip();
            throw N0d3Exception.failure("smoke test of " + where + " failed: '" + shown + "' exited " + r.exitCode()
                    + (evidence.isEmpty() ? "" : ": " + tail(evidence)));
        }
        if (expect != null && !expect.matcher(r.stdout()).find()) {
            throw N0d3Exception.failure("smoke test of " + where + " failed: '" + shown + "' printed '" + tail(out)
                    + "', which does not match " + expect.pattern());
        }
        return new Result(shown, out, ms, emulated);
    }

    static String tail(String s) {
        String one = s.replaceAll("\\s*\\R\\s*", " | ");
        return one.length() <= 400 ? one : "..." + one.substring(one.length() - 400);
    }
}
