package install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.install.RuntimeJar;
import support.Project;

/**
 * The tests run from Maven's class path, not from n0d3.jar: a runnable jar assembled by lib/install/RuntimeJar
 * from the compiled scripts and lib/ (target/classes) and the pom's runtime dependencies stands in for it
 * (--jar). It is a real runtime (the installer runs it before installing it): the same entries as the Maven
 * build's n0d3.jar. Made once per test JVM.
 */
public final class StandInJar {
    private static byte[] bytes;

    private StandInJar() {}

    static synchronized byte[] bytes() {
        if (bytes == null) {
            List<String> deps = Project.pom().dependencies().values().stream()
                    .filter(d -> !d.scope().equals("test"))
                    .map(d -> d.ga() + ":" + d.version())
                    .toList();
            List<Path> cp = new ArrayList<>();
            cp.add(Project.basedir().resolve("target/classes"));
            try {
                cp.addAll(build.DepsResolver.classpath(deps, Project.m2()));
            } catch (org.eclipse.aether.resolution.DependencyResolutionException e) {
                throw new AssertionError("the pom's runtime dependencies do not resolve offline: " + e.getMessage(), e);
            }
            bytes = RuntimeJar.assemble(cp);
        }
        return bytes;
    }

    public static Path in(Path dir) {
        Path j = dir.resolve("n0d3.jar");
        if (!Files.exists(j)) {
            try {
                Files.write(j, bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return j;
    }
}
