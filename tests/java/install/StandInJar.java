package install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import support.ChildJvm;
import support.Project;

/** The tests run from Maven's class path, not from n0d3.jar: a jar of the compiled lib/ classes stands in for it (--jar). */
public final class StandInJar {
    private StandInJar() {}

    public static Path in(Path dir) {
        Path j = dir.resolve("n0d3.jar");
        if (!Files.exists(j)) {
            String tool = Path.of(System.getProperty("java.home"), "bin", "jar").toString();
            var r = ChildJvm.run(List.of(tool, "--create", "--file", j.toString(), "-C", Project.basedir().resolve("target/classes").toString(), "lib"), null, dir);
            assertEquals(0, r.exit(), r.stderr());
        }
        return j;
    }
}
