package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import configs.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The comment above each top-level class, record, interface or enum of lib/ says what the type is and does in a
 * few lines; measurements, history and long reasons live in docs/decisions/ records, which the comment points to
 * (issue 15, item 5). A comment fails when it has more than {@link #MAX_LINES} lines of text (blank lines and
 * block tags such as {@code @param} not counted), or holds a measurement or a history phrase, unless its file is
 * in {@link #ALLOWED} with a reason, or under one of the {@link #PENDING} paths.
 */
class ClassCommentTest {
    /** Lines of text a class comment may have; the longest today are state machines and rule lists (Joiner). */
    static final int MAX_LINES = 12;

    /** A figure with a unit of time, size or share ("~180 ms", "0.04 %", "8 KiB"), or an approximate figure ("~70"). */
    static final Pattern MEASUREMENT =
            Pattern.compile("(?<![\"\\w.])\\d+(?:\\.\\d+)? ?(?:ms|µs|ns|MiB|KiB|GiB|MB|KB|GB|%)(?![\\w\"])|~ ?\\d");

    /** Words that tell what the code used to be rather than what it is. */
    static final Pattern HISTORY = Pattern.compile(
            "\\b(?:used before|used to be|earlier versions?|previous versions?|before issue \\d+|no longer uses?)\\b",
            Pattern.CASE_INSENSITIVE);

    /** Files allowed to break the rules, and why. Keep it short; an entry no longer needed fails the test. */
    static final Map<String, String> ALLOWED = new TreeMap<>(Map.of());

    /**
     * Paths exempt while a branch rewrites them (none today; the plan/step model and the lib/install re-cut have
     * landed): their comments are reviewed when it lands. A prefix, or a file name containing "*" for a glob.
     */
    static final List<String> PENDING = List.of();

    private static final Pattern DECLARATION =
            Pattern.compile("^(?:(?:public|protected|private|final|abstract|sealed|non-sealed|static|strictfp) )*"
                    + "(?:class|record|interface|enum|@interface) (\\w+)");

    @Test
    void everyClassCommentInLibIsShortAndHoldsNoMeasurementOrHistory() {
        List<String> problems = new ArrayList<>();
        List<String> stillNeeded = new ArrayList<>();
        int checked = 0;
        for (Path file : javaFiles(Repo.file("lib"))) {
            String rel = Repo.basedir().relativize(file).toString().replace('\\', '/');
            if (pending(rel)) continue;
            List<String> found = violations(rel, Repo.read(file));
            checked++;
            if (ALLOWED.containsKey(rel)) {
                if (!found.isEmpty()) stillNeeded.add(rel);
            } else {
                problems.addAll(found);
            }
        }
        assertTrue(checked > 100, "lib/ has well over a hundred source files; checked " + checked);
        assertEquals(
                List.of(),
                problems,
                "class comments say what a class is in at most " + MAX_LINES + " lines; move figures, history and long"
                        + " reasons to a docs/decisions/ record and point to it");
        List<String> stale = new ArrayList<>(ALLOWED.keySet());
        stale.removeAll(stillNeeded);
        assertEquals(List.of(), stale, "allowlist entries whose comment now passes: remove them from ALLOWED");
    }

    @Test
    void everyDecisionRecordAClassCommentPointsToExists() {
        Pattern pointer = Pattern.compile("docs/decisions/[\\w.-]+\\.md");
        List<String> missing = new ArrayList<>();
        for (Path file : javaFiles(Repo.file("lib"))) {
            Matcher m = pointer.matcher(Repo.read(file));
            while (m.find()) {
                if (!Files.isRegularFile(Repo.file(m.group()))) {
                    missing.add(Repo.basedir().relativize(file) + " -> " + m.group());
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void aLongClassCommentFails() {
        StringBuilder src = new StringBuilder("package lib.x;\n\n/**\n");
        for (int i = 1; i <= MAX_LINES + 1; i++)
            src.append(" * line ").append(i).append(" of what it does\n");
        src.append(" */\npublic final class Long {}\n");
        List<String> v = violations("lib/x/Long.java", src.toString());
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("lib/x/Long.java:3: Long: " + (MAX_LINES + 1) + " lines"), v.get(0));
    }

    @Test
    void aMeasurementOrHistoryInAClassCommentFails() {
        String src = String.join(
                "\n",
                "package lib.x;",
                "",
                "import java.util.List;",
                "",
                "/**",
                " * Reads the thing. Measured on the lab: ~180 ms on a cold JVM, 0.04 % of a CPU idle, 8 KiB at most.",
                " * The JDK's server, used before, woke every second.",
                " */",
                "@Deprecated",
                "final class Measured {",
                "    /** Method comments may hold figures: 26 ms. */",
                "    void m() {}",
                "}");
        List<String> v = violations("lib/x/Measured.java", src);
        assertEquals(2, v.size(), v.toString());
        assertTrue(v.get(0).contains("measurement \"~1\"") || v.get(0).contains("measurement \"180 ms\""), v.get(0));
        assertTrue(v.get(1).contains("history \"used before\""), v.get(1));
    }

    @Test
    void aShortFactualCommentPassesAndTagsBlankLinesAndSyntaxExamplesDoNotCount() {
        StringBuilder src = new StringBuilder(
                "package lib.x;\n\n/**\n * Durations (\"500ms\", \"60s\") and sizes (\"16MiB\").\n *\n");
        src.append(" * <p>One connection per request, mode 0600, port 2377, 2^(n-1), x 1000.\n *\n");
        for (int i = 0; i < MAX_LINES + 5; i++)
            src.append(" * @param p").append(i).append(" a component\n");
        src.append(" */\npublic record Fine(int p0) {}\n");
        assertEquals(List.of(), violations("lib/x/Fine.java", src.toString()));
        assertEquals(List.of(), violations("lib/x/Bare.java", "package lib.x;\n\npublic final class Bare {}\n"));
    }

    @Test
    void pendingPathsMatchByPrefixOrGlob() {
        assertTrue(pending("lib/install/DockerPhase.java", List.of("lib/install/*Phase*.java")));
        assertTrue(pending("lib/plan/Step.java", List.of("lib/plan/")));
        assertTrue(pending("lib/build/BuildPlan.java", List.of("lib/build/*Plan*")));
        assertTrue(!pending("lib/install/Installer.java", List.of("lib/install/*Phase*.java")));
        assertTrue(!pending("lib/swarm/Planner.java", List.of("lib/swarm/Plan.java")));
    }

    /** What is wrong with the class comments of one source file, one line each ("path:line: Type: problem"). */
    static List<String> violations(String path, String source) {
        List<String> out = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher decl = DECLARATION.matcher(lines[i]);
            if (!decl.find()) continue;
            int end = i - 1;
            while (end >= 0 && lines[end].startsWith("@")) end--;
            if (end < 0 || !lines[end].strip().endsWith("*/")) continue;
            int start = end;
            while (start >= 0 && !lines[start].strip().startsWith("/*")) start--;
            if (start < 0) continue;
            String where = path + ":" + (start + 1) + ": " + decl.group(1) + ": ";
            List<String> text = text(lines, start, end);
            if (text.size() > MAX_LINES) {
                out.add(where + text.size() + " lines, at most " + MAX_LINES);
            }
            String joined = String.join("\n", text);
            Matcher m = MEASUREMENT.matcher(joined);
            if (m.find()) out.add(where + "measurement \"" + m.group() + "\"");
            Matcher h = HISTORY.matcher(joined);
            if (h.find()) out.add(where + "history \"" + h.group() + "\"");
        }
        return out;
    }

    /** The comment's lines of text: without delimiters, leading stars, blank lines and block tags. */
    private static List<String> text(String[] lines, int start, int end) {
        List<String> text = new ArrayList<>();
        for (int i = start; i <= end; i++) {
            String l = lines[i].strip();
            if (i == start) l = l.replaceFirst("^/\\*+", "");
            if (i == end) l = l.replaceFirst("\\*/$", "");
            l = l.replaceFirst("^\\*+", "").strip();
            if (l.startsWith("@")) break;
            if (!l.isEmpty()) text.add(l);
        }
        return text;
    }

    static boolean pending(String rel) {
        return pending(rel, PENDING);
    }

    static boolean pending(String rel, List<String> paths) {
        for (String p : paths) {
            if (p.contains("*")) {
                String regex = Pattern.quote(p).replace("*", "\\E[^/]*\\Q");
                if (rel.matches(regex)) return true;
            } else if (p.endsWith("/") ? rel.startsWith(p) : rel.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
