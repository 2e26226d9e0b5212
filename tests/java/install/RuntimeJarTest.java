package install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.install.RuntimeJar;
import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ChildJvm;
import support.Project;

/**
 * lib/install/RuntimeJar: the runnable n0d3.jar assembled from a class path (what the installer does under
 * JBang), merged as the Maven build's shade plugin merges, byte for byte the same on a re-run, and checked by
 * running it before it is installed. The JBang side (the class path JBang gives install.java) is JBangIT.
 */
class RuntimeJarTest {
    @TempDir
    Path dir;

    static Path zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream o = Files.newOutputStream(file);
                ZipOutputStream z = new ZipOutputStream(o)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return file;
    }

    static Map<String, String> entries(byte[] jar) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            out.put("MANIFEST Main-Class", in.getManifest().getMainAttributes().getValue("Main-Class"));
            out.put(
                    "MANIFEST Multi-Release",
                    in.getManifest().getMainAttributes().getValue("Multi-Release"));
            out.put(
                    "MANIFEST Implementation-Version",
                    in.getManifest().getMainAttributes().getValue("Implementation-Version"));
            for (ZipEntry e; (e = in.getNextEntry()) != null; )
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void mergesLikeTheShadePluginFirstCopyWinsServicesJoinedSignaturesAndModuleInfoLeftOut() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes/lib/cli"));
        Files.writeString(classes.resolve("Launcher.class"), "mine");
        Files.createDirectories(dir.resolve("classes/schemas"));
        Files.writeString(dir.resolve("classes/schemas/codex.schema.json"), "{}");
        Path a = zip(
                dir.resolve("a.jar"),
                Map.of(
                        "META-INF/MANIFEST.MF",
                        "Manifest-Version: 1.0\nMain-Class: install\n",
                        "lib/cli/Launcher.class",
                        "theirs",
                        "META-INF/services/x.Spi",
                        "a.One",
                        "META-INF/SIGNER.SF",
                        "sig",
                        "META-INF/SIGNER.RSA",
                        "sig",
                        "module-info.class",
                        "mod",
                        "META-INF/versions/9/module-info.class",
                        "mod9"));
        Path b = zip(dir.resolve("b.jar"), Map.of("META-INF/services/x.Spi", "b.Two\n", "b/B.class", "bee"));

        Map<String, String> e = entries(RuntimeJar.assemble(List.of(dir.resolve("classes"), a, b)));
        assertEquals(RuntimeJar.MAIN, e.get("MANIFEST Main-Class"));
        assertEquals("true", e.get("MANIFEST Multi-Release"));
        assertEquals(Version.VERSION, e.get("MANIFEST Implementation-Version"));
        assertEquals("mine", e.get("lib/cli/Launcher.class"), "the first entry on the class path wins");
        assertEquals("{}", e.get("schemas/codex.schema.json"));
        assertEquals("a.One\nb.Two\n", e.get("META-INF/services/x.Spi"));
        assertEquals("bee", e.get("b/B.class"));
        assertEquals(
                "mod9",
                e.get("META-INF/versions/9/module-info.class"),
                "as shade: only the top module-info.class goes");
        for (String gone : List.of("META-INF/SIGNER.SF", "META-INF/SIGNER.RSA", "module-info.class"))
            assertTrue(!e.containsKey(gone), gone + " is left out");
        assertTrue(
                e.containsKey("lib/") && e.containsKey("lib/cli/") && e.containsKey("META-INF/services/"),
                "folder entries, as jar tools write them: " + e.keySet());
    }

    @Test
    void theSameEntriesGiveTheSameBytesWhateverTheFileTimes() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes/lib"));
        Path f = Files.writeString(classes.resolve("X.class"), "x");
        Path a = zip(dir.resolve("a.jar"), Map.of("a/A.class", "a"));
        byte[] first = RuntimeJar.assemble(List.of(dir.resolve("classes"), a));
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
        Path again = zip(dir.resolve("again.jar"), Map.of("a/A.class", "a"));
        assertArrayEquals(
                first,
                RuntimeJar.assemble(List.of(dir.resolve("classes"), again)),
                "a re-run on a converged host must not rewrite n0d3.jar");
        Files.writeString(f, "y");
        assertTrue(
                !java.util.Arrays.equals(first, RuntimeJar.assemble(List.of(dir.resolve("classes"), a))),
                "a changed class changes the jar");
    }

    /** The project's own runtime (target/classes and the pom's runtime dependencies) runs as the units run it. */
    @Test
    void theAssembledRuntimeRunsTheScriptsAndPassesTheCheck() {
        Path jar = StandInJar.in(dir);
        ChildJvm.Result r = ChildJvm.runJar(jar, Map.of(), dir, "telemetry", "--version");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().startsWith("telemetry.java " + Version.VERSION + " "), r.stdout());
        RuntimeJar.file(jar).verify(new ProcessRunner(), RuntimeJar.currentJava());
    }

    /** What install.java's jar alone (no dependencies) would have been: the check refuses it, exit 1. */
    @Test
    void aJarWithoutItsDependenciesFailsTheCheck() throws IOException {
        List<Path> cp = new ArrayList<>(List.of(Project.basedir().resolve("target/classes")));
        Path jar = Files.write(dir.resolve("bare.jar"), RuntimeJar.assemble(cp));
        N0d3Exception e = assertThrows(
                N0d3Exception.class, () -> RuntimeJar.file(jar).verify(new ProcessRunner(), RuntimeJar.currentJava()));
        assertEquals(ExitCode.FAILURE, e.exitCode());
        assertTrue(
                e.getMessage()
                        .startsWith("n0d3.jar (" + jar + ") does not run `telemetry --version` on "
                                + RuntimeJar.currentJava() + " (exit 1: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("picocli/CommandLine"), e.getMessage());
        assertTrue(e.getMessage().endsWith("): not installed"), e.getMessage());
    }

    /** A build for a newer Java than the one given (the units' /usr/bin/java on a live host) fails the check. */
    @Test
    void aJarBuiltForANewerJavaThanTheUnitsFailsTheCheck() throws IOException {
        Path jar = dir.resolve("newer.jar");
        try (var in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(StandInJar.bytes()));
                OutputStream o = Files.newOutputStream(jar);
                ZipOutputStream out = new ZipOutputStream(o)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                if (e.getName().equals("lib/cli/Launcher.class")) {
                    b[6] = 0;
                    b[7] = 99; // class file major version 99: a Java far newer than this one
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        N0d3Exception e = assertThrows(
                N0d3Exception.class, () -> RuntimeJar.file(jar).verify(new ProcessRunner(), RuntimeJar.currentJava()));
        assertTrue(e.getMessage().contains("UnsupportedClassVersionError"), e.getMessage());
    }

    /** ... and so does a jar without one of the scripts, before anything is run. */
    @Test
    void aJarWithoutAScriptFailsTheCheck() throws IOException {
        Path jar = zip(dir.resolve("partial.jar"), Map.of("telemetry.class", "x", "install.class", "x"));
        N0d3Exception e = assertThrows(
                N0d3Exception.class, () -> RuntimeJar.file(jar).verify(new ProcessRunner(), RuntimeJar.currentJava()));
        assertEquals(
                "n0d3.jar (" + jar
                        + ") lacks swarm_join.class, build_amd.class, build_arm.class, tfc_sync.class: not installed",
                e.getMessage());
    }

    /** Run from Maven's class path (folders), there is no jar to install. */
    @Test
    void noJarFromAClassPathOfFolders() {
        assertNull(RuntimeJar.ofThisProcess());
    }
}
