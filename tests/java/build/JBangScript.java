package build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A top-level script's JBang directives, read the way JBang reads them: a line starting with
 * {@code //DEPS}, {@code //SOURCES}, {@code //FILES} or {@code //JAVA} followed by white space, its
 * values separated by white space or commas. {@link #closure()} adds the directives of the files it sources,
 * as JBang does (install.java sources the other scripts to carry the node's whole runtime).
 */
record JBangScript(
        Path file, List<String> lines, List<String> deps, List<String> sources, List<String> files, List<String> java) {

    static JBangScript read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> deps = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (String line : lines) {
            collect(line, "//DEPS", deps);
            collect(line, "//SOURCES", sources);
            collect(line, "//FILES", files);
            collect(line, "//JAVA", java);
        }
        return new JBangScript(
                file, lines, List.copyOf(deps), List.copyOf(sources), List.copyOf(files), List.copyOf(java));
    }

    private static void collect(String line, String directive, List<String> into) {
        if (!line.startsWith(directive + " ") && !line.startsWith(directive + "\t")) return;
        for (String v : line.substring(directive.length()).strip().split("[\\s,]+")) {
            if (!v.isEmpty()) into.add(v);
        }
    }

    /**
     * What JBang builds: this script's directives plus, recursively, those of every file it sources (JBang
     * 0.135 reads //DEPS, //SOURCES and //FILES in sourced files too), each value once, in first-seen order.
     */
    JBangScript closure() {
        java.util.LinkedHashSet<String> d = new java.util.LinkedHashSet<>(deps);
        java.util.LinkedHashSet<String> src = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> f = new java.util.LinkedHashSet<>(files);
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(sources);
        while (!todo.isEmpty()) {
            String s = todo.removeFirst();
            if (!src.add(s)) continue;
            Path p = dir().resolve(s).normalize();
            if (p.equals(file.toAbsolutePath().normalize()) || !Files.isRegularFile(p)) continue;
            JBangScript sub = read(p);
            d.addAll(sub.deps);
            f.addAll(sub.files);
            // a sourced file's //SOURCES resolve against its own folder; every one here is at the top or in lib/
            for (String x : sub.sources)
                todo.addLast(dir().relativize(sub.dir().resolve(x).normalize()).toString());
        }
        src.remove(dir().relativize(file.toAbsolutePath().normalize()).toString());
        return new JBangScript(file, lines, List.copyOf(d), List.copyOf(src), List.copyOf(f), java);
    }

    /** The top-level scripts this one sources (install.java: the others, for the node's runtime). */
    List<String> sourcedScripts() {
        return sources.stream().filter(x -> !x.contains("/")).toList();
    }

    /** The class name the script must declare: the file name without .java. */
    String className() {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".java".length());
    }

    /** The script's folder, against which //SOURCES and //FILES resolve. */
    Path dir() {
        return file.toAbsolutePath().getParent();
    }

    /** //FILES entries may be "target=source": the source is what must exist. */
    static String fileSource(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(eq + 1);
    }

    /**
     * The resource name JBang gives a //FILES entry in the jar it builds: the target of "target=source",
     * else the source's FILE NAME only (JBang 0.135 drops the folders: {@code //FILES schemas/a.json} is
     * {@code a.json} in the jar, which is why the scripts write {@code schemas/a.json=schemas/a.json}).
     * JBangIT checks this model against the jars the real JBang builds.
     */
    static String fileTarget(String entry) {
        int eq = entry.indexOf('=');
        if (eq >= 0) return entry.substring(0, eq);
        int slash = entry.lastIndexOf('/');
        return slash < 0 ? entry : entry.substring(slash + 1);
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}
