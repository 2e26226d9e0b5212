package support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared/ folder laid beside the clone (../shared: the SchemaStore Traefik schemas, the JBang built from
 * source). It is not part of the repository: CI has it, a plain clone of the repository does not. A developer's
 * worktree may sit deeper, so the nearest ancestor holding shared/RELATIVE wins. Tests that need it are skipped
 * with the reason when it is absent, in every mode (N0D3_REQUIRE_LAB=1 included: a clone without it is a
 * legitimate place to run the suite), and tests/run lists every skip reason under its closing line.
 */
public final class Shared {
    private Shared() {}

    /** shared/RELATIVE in the nearest ancestor of the project root that has it. */
    public static Optional<Path> find(String relative) {
        for (Path dir = Project.basedir().getParent(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve(relative);
            if (Files.exists(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** shared/RELATIVE, or the test is skipped naming what is missing. */
    public static Path require(String relative) {
        Optional<Path> p = find(relative);
        Assumptions.assumeTrue(
                p.isPresent(),
                () -> "../shared/" + relative + " is not beside this clone of the repository (" + Project.basedir()
                        + "): the shared folder CI lays next to the clone; a plain clone has none");
        return p.orElseThrow();
    }
}
