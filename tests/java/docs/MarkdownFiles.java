package docs;

import configs.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's own Markdown files: every *.md outside build output, tools, lab state and VCS folders. */
final class MarkdownFiles {
    /** Folders (relative to the root) that hold no documents of the project. */
    static final List<String> IGNORED = List.of(".git", "target", ".lab", ".tools", "bench/out");

    private MarkdownFiles() {}

    static boolean ignored(Path root, Path p) {
        String rel = root.relativize(p).toString();
        if (rel.contains("node_modules/")) return true;
        return IGNORED.stream().anyMatch(d -> rel.startsWith(d + "/"));
    }

    static List<Path> under(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
                    .filter(p -> !ignored(root, p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> all() {
        return under(Repo.basedir());
    }

    /** The same exclusions as markdownlint-cli2 arguments ("#glob" negates). */
    static List<String> lintArguments() {
        List<String> args = new ArrayList<>(List.of("**/*.md", "#**/node_modules/**"));
        IGNORED.forEach(d -> args.add("#" + d + "/**"));
        return args;
    }
}
