package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import support.Project;

/**
 * Keeps each top-level script runnable by JBang on its own: the header, //DEPS equal to the pom's
 * versions, //SOURCES and //FILES that exist, and a compilation of the script with ONLY its declared
 * sources and the jars its //DEPS resolve to. A forgotten //SOURCES line or //DEPS fails here, even
 * though the Maven build (which compiles everything together) would pass.
 */
class JBangDirectivesTest {
    static final String SHEBANG = "///usr/bin/env jbang \"$0\" \"$@\" ; exit $?";

    static Stream<JBangScript> scripts() {
        List<Path> files = Project.scripts();
        assertFalse(files.isEmpty(), "no top-level *.java script found in " + Project.basedir());
        return files.stream().map(JBangScript::read);
    }

    @Test
    void installScriptIsDiscovered() {
        assertTrue(scripts().anyMatch(s -> s.className().equals("install")), "install.java must be among the scripts");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void headerIsJBangShebangThenJava17(JBangScript s) {
        assertTrue(s.lines().size() > 2, s + ": too short");
        assertEquals(SHEBANG, s.lines().get(0), s + ": line 1 must be the JBang shebang");
        assertEquals("//JAVA 17+", s.lines().get(1), s + ": line 2 must be //JAVA 17+");
        assertEquals(List.of("17+"), s.java(), s + ": exactly one //JAVA directive");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void classIsNamedAfterTheFileAndMainOnlyRunsCli(JBangScript s) {
        String text = String.join("\n", s.lines());
        String cls = s.className();
        assertTrue(cls.matches("[a-z][a-z0-9_]*"), s + ": script file names are lower_snake_case");
        assertTrue(text.contains("public class " + cls + " "), s + ": must declare 'public class " + cls + "'");
        assertTrue(
                text.contains("System.exit(Cli.execute(new " + cls + "(), args));"),
                s + ": main must be System.exit(Cli.execute(new " + cls + "(), args));");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void depsAreThePomsDependenciesWithThePomsVersions(JBangScript s) {
        Project.Pom pom = Project.pom();
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (String gav : s.deps()) {
            String[] p = gav.split(":");
            if (p.length != 3) {
                problems.add(gav + ": expected group:artifact:version");
                continue;
            }
            String ga = p[0] + ":" + p[1];
            if (!seen.add(ga)) problems.add(gav + ": declared twice");
            Project.Dep dep = pom.dependencies().get(ga);
            if (dep == null || dep.scope().equals("test")) {
                problems.add(gav + ": not a (non-test) dependency in pom.xml");
            } else if (!dep.version().equals(p[2])) {
                problems.add(gav + ": pom.xml has version " + dep.version());
            }
        }
        assertTrue(problems.isEmpty(), s + ": //DEPS out of step with pom.xml:\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sourcesExist(JBangScript s) {
        assertFalse(s.sources().isEmpty(), s + ": no //SOURCES (every script uses lib/cli at least)");
        Set<String> seen = new HashSet<>();
        for (String src : s.sources()) {
            assertTrue(seen.add(src), s + ": //SOURCES " + src + " is listed twice");
            assertTrue(src.endsWith(".java"), s + ": //SOURCES " + src + " is not a .java file (no globs)");
            Path p = s.dir().resolve(src).normalize();
            assertTrue(
                    p.startsWith(Project.basedir().resolve("lib"))
                            || Project.scripts().contains(p),
                    s + ": //SOURCES " + src + " is neither under lib/ nor a top-level script");
            assertTrue(Files.isRegularFile(p), s + ": //SOURCES " + src + " does not exist");
        }
    }

    /**
     * install.java carries the node's whole runtime (lib/install/RuntimeJar assembles n0d3.jar from JBang's build
     * of it): every other script, lib/cli/Launcher, hence every lib file and //DEPS line of any script.
     */
    @Test
    void installSourcesEveryScriptSoItsJBangBuildIsTheWholeRuntime() {
        JBangScript install = JBangScript.read(Project.basedir().resolve("install.java"));
        List<String> others = Project.scripts().stream()
                .map(p -> p.getFileName().toString())
                .filter(n -> !n.equals("install.java"))
                .toList();
        assertEquals(
                others.stream().sorted().toList(),
                install.sourcedScripts().stream().sorted().toList(),
                "install.java: //SOURCES of the other scripts");
        JBangScript all = install.closure();
        assertTrue(all.sources().contains("lib/cli/Launcher.java"), "install.java: //SOURCES lib/cli/Launcher.java");
        for (Path p : Project.scripts()) {
            JBangScript s = JBangScript.read(p);
            for (String src : s.sources())
                assertTrue(all.sources().contains(src), "install.java's build lacks " + src + " (" + s + ")");
            for (String dep : s.deps())
                assertTrue(all.deps().contains(dep), "install.java's build lacks " + dep + " (" + s + ")");
            for (String f : s.files())
                assertTrue(all.files().contains(f), "install.java's build lacks //FILES " + f + " (" + s + ")");
        }
        Set<String> pomDeps = Project.pom().dependencies().values().stream()
                .filter(d -> !d.scope().equals("test"))
                .map(d -> d.ga() + ":" + d.version())
                .collect(Collectors.toSet());
        assertEquals(
                pomDeps,
                Set.copyOf(all.deps()),
                "install.java's build resolves exactly the pom's runtime dependencies");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void filesExistAndMavenPackagesThemToo(JBangScript s) {
        for (String entry : s.files()) {
            Path p = s.dir().resolve(JBangScript.fileSource(entry)).normalize();
            assertTrue(Files.isRegularFile(p), s + ": //FILES " + entry + ": " + p + " does not exist");
            String target = JBangScript.fileTarget(entry);
            assertNotNull(
                    getClass().getClassLoader().getResource(target),
                    s + ": //FILES " + entry + ": the Maven build does not put " + target
                            + " on the class path (pom.xml <resources>)");
        }
    }

    /** Every resource a lib file loads by name must be carried by the scripts that use that file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void filesCoverTheResourcesItsSourcesLoad(JBangScript s) throws IOException {
        List<String> problems = uncoveredResources(s.closure());
        assertTrue(problems.isEmpty(), s + ":\n  " + String.join("\n  ", problems));
    }

    /** The check above fails on the form JBang files under the bare file name ({@code //FILES schemas/x.json}). */
    @Test
    void aFilesLineWithoutTargetIsCaughtBecauseJBangKeepsOnlyTheFileName() throws IOException {
        assertEquals("codex.schema.json", JBangScript.fileTarget("schemas/codex.schema.json"));
        assertEquals(
                "schemas/codex.schema.json",
                JBangScript.fileTarget("schemas/codex.schema.json=schemas/codex.schema.json"));
        assertEquals("codex.yaml", JBangScript.fileTarget("codex.yaml"));
        JBangScript s = JBangScript.read(Project.basedir().resolve("telemetry.java"));
        List<String> bare = s.files().stream().map(JBangScript::fileSource).toList();
        JBangScript old = new JBangScript(s.file(), s.lines(), s.deps(), s.sources(), bare, s.java());
        assertTrue(
                uncoveredResources(old).stream()
                        .anyMatch(p -> p.contains("loads the resource schemas/codex.schema.json")),
                uncoveredResources(old).toString());
    }

    /** How lib code names a resource it loads: readResource("x"), or a constant file name "schemas/....json" / "configs/....ext". */
    static final java.util.regex.Pattern RESOURCE =
            java.util.regex.Pattern.compile("readResource\\(\"([^\"]+)\"\\)|\"((?:schemas|configs)/[^\"]*\\.[a-z]+)\"");

    static List<String> uncoveredResources(JBangScript s) throws IOException {
        Set<String> targets = s.files().stream().map(JBangScript::fileTarget).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (String src : s.sources()) {
            String code = Files.readString(s.dir().resolve(src), StandardCharsets.UTF_8);
            var m = RESOURCE.matcher(code);
            while (m.find()) {
                String res = m.group(1) != null ? m.group(1) : m.group(2);
                if (!targets.contains(res))
                    problems.add(src + " loads the resource " + res + ": add //FILES " + res + "=" + res);
            }
        }
        return problems;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void compilesAloneWithOnlyItsSourcesAndDeps(JBangScript s, @TempDir Path out) throws Exception {
        JBangScript all = s.closure();
        List<Path> classpath = DepsResolver.classpath(all.deps(), Project.m2());
        List<String> problems = compile(all, classpath, out);
        if (!problems.isEmpty()) {
            fail(s + " does not compile with only its //SOURCES and //DEPS (a missing //SOURCES or //DEPS line?):\n  "
                    + String.join("\n  ", problems));
        }
        assertTrue(
                Files.isRegularFile(out.resolve(s.className() + ".class")),
                s + ": no " + s.className() + ".class written");
    }

    /** The check above must be able to fail: drop one //SOURCES line and the same compilation breaks. */
    @Test
    void compilationFailsWhenASourcesLineIsMissing(@TempDir Path out) throws Exception {
        JBangScript s =
                JBangScript.read(Project.basedir().resolve("install.java")).closure();
        List<String> fewer = new ArrayList<>(s.sources());
        assertTrue(fewer.remove("lib/cli/Cli.java"), "install.java is expected to list lib/cli/Cli.java");
        JBangScript broken = new JBangScript(s.file(), s.lines(), s.deps(), fewer, s.files(), s.java());
        List<String> problems = compile(broken, DepsResolver.classpath(s.deps(), Project.m2()), out);
        assertTrue(problems.stream().anyMatch(p -> p.contains("Cli")), "expected an error about Cli, got " + problems);
    }

    /** ... and so does a //DEPS line left out. */
    @Test
    void compilationFailsWhenADepsLineIsMissing(@TempDir Path out) throws Exception {
        JBangScript s =
                JBangScript.read(Project.basedir().resolve("install.java")).closure();
        List<String> fewer =
                s.deps().stream().filter(d -> !d.startsWith("info.picocli:")).toList();
        assertEquals(s.deps().size() - 1, fewer.size(), "install.java is expected to depend on picocli");
        List<String> problems = compile(s, DepsResolver.classpath(fewer, Project.m2()), out);
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("picocli")),
                "expected an error about picocli, got " + problems);
    }

    /** A version that is not the pom's is not in the build's local repository: resolution fails. */
    @Test
    void aDepsVersionOtherThanThePomsDoesNotResolveOffline() {
        assertThrowsResolution(List.of("info.picocli:picocli:0.0.1-not-a-version"));
    }

    private static void assertThrowsResolution(List<String> deps) {
        try {
            DepsResolver.classpath(deps, Project.m2());
        } catch (org.eclipse.aether.resolution.DependencyResolutionException e) {
            return;
        }
        fail("resolving " + deps + " offline should fail");
    }

    static List<String> compile(JBangScript s, List<Path> classpath, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler: run the tests on a JDK");
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        List<Path> files = new ArrayList<>();
        files.add(s.file());
        for (String src : s.sources()) files.add(s.dir().resolve(src).normalize());
        Path emptySourcePath = Files.createDirectories(out.resolve(".no-sources"));
        Path classes = Files.createDirectories(out);
        List<String> options = List.of(
                "--release",
                "17",
                "-d",
                classes.toString(),
                "-classpath",
                classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)),
                // nothing may be found implicitly: only the files named here compile
                "-sourcepath",
                emptySourcePath.toString(),
                "-implicit:none",
                "-encoding",
                "UTF-8");
        StringWriter javacOut = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            boolean ok =
                    javac.getTask(javacOut, fm, diags, options, null, units).call();
            List<String> problems = diags.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> (d.getSource() == null
                                    ? ""
                                    : Project.basedir()
                                                    .relativize(Path.of(
                                                            d.getSource().toUri())) + ":" + d.getLineNumber() + ": ")
                            + d.getMessage(Locale.ROOT)
                                    .lines()
                                    .map(String::strip)
                                    .collect(Collectors.joining(" ")))
                    .collect(Collectors.toCollection(ArrayList::new));
            if (!ok && problems.isEmpty()) problems.add("javac failed: " + javacOut);
            return problems;
        }
    }
}
