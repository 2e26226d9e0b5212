package lib.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import lib.cli.Log;
import lib.cli.N0d3Exception;

/**
 * GitHub Actions step outputs and job summary: appended to the files named by GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY, in the format GitHub documents ("Setting an output parameter"): {@code name=value}
 * for one line, {@code name<<DELIMITER} ... {@code DELIMITER} for several, with a random delimiter
 * ({@code ghadelimiter_<uuid>}, as actions/toolkit does) that cannot occur in the value.
 */
public final class GithubOutputs {
    private GithubOutputs() {}

    /** Appends the outputs when GITHUB_OUTPUT is set; returns whether it was. */
    public static boolean writeOutputs(Map<String, String> env, Map<String, String> outputs) {
        String file = env.get("GITHUB_OUTPUT");
        if (file == null || file.isBlank()) return false;
        append(Path.of(file), format(outputs, () -> "ghadelimiter_" + UUID.randomUUID()), "GITHUB_OUTPUT");
        Log.debug("wrote " + outputs.size() + " outputs to " + file);
        return true;
    }

    /** Appends Markdown to the job summary when GITHUB_STEP_SUMMARY is set; returns whether it was. */
    public static boolean writeSummary(Map<String, String> env, String markdown) {
        String file = env.get("GITHUB_STEP_SUMMARY");
        if (file == null || file.isBlank()) return false;
        append(Path.of(file), markdown.endsWith("\n") ? markdown : markdown + "\n", "GITHUB_STEP_SUMMARY");
        return true;
    }

    static String format(Map<String, String> outputs, Supplier<String> delimiters) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : outputs.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*"))
                throw new IllegalArgumentException("bad output name '" + name + "'");
            if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
                sb.append(name).append('=').append(value).append('\n');
                continue;
            }
            String d = delimiters.get();
            while (value.contains(d)) d = delimiters.get();
            sb.append(name)
                    .append("<<")
                    .append(d)
                    .append('\n')
                    .append(value)
                    .append('\n')
                    .append(d)
                    .append('\n');
        }
        return sb.toString();
    }

    /** Markdown table cell: pipes escaped, line breaks as spaces. */
    public static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replaceAll("\\R", " ");
    }

    private static void append(Path file, String text, String var) {
        try {
            Files.writeString(
                    file,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw N0d3Exception.failure(var + ": cannot append to " + file + ": " + e.getMessage());
        }
    }
}
