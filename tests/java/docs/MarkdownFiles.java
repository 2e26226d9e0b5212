package docs;

import configs.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The repository's own Markdown files: everything *.md outside build output, tools and VCS folders. */
final class MarkdownFiles {
    static final Set<String> SKIP = Set.of(".git", "target", "node_modules", ".lab", ".tools");

    private MarkdownFiles() {}

    static List<Path> under(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
                    .filter(p -> Stream.of(root.relativize(p).toString().split("/")).noneMatch(SKIP::contains))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> all() {
        return under(Repo.basedir());
    }
}
