package lib.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;

/**
 * The runnable n0d3.jar the units run as /opt/pr-cybr/n0d3.jar ({@code java -jar n0d3.jar telemetry --once}):
 * every script behind {@code lib.cli.Launcher}, their resources and dependencies in one jar. It is
 * {@code --jar FILE}, else the n0d3.jar this code runs from (Main-Class {@value #MAIN}), else, under JBang, one
 * assembled reproducibly from JBang's build of install.java and its //DEPS jars; from a class path of folders
 * there is none. {@link #verify} runs the candidate as the units will, before it is installed.
 * How the assembly merges, and why: docs/decisions/jbang-packaging.md.
 */
public final class RuntimeJar {
    /** The runnable jar's entry point. */
    public static final String MAIN = "lib.cli.Launcher";
    /** The script the timer runs, started with --version before the jar is installed. */
    static final String CHECKED = "telemetry";

    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);
    /** The Java running this process (the installer's: JBang's choice under JBang). */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The time stamp of every entry of an assembled jar (the DOS epoch's first full day). */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final byte[] bytes;
    private final String origin;

    private RuntimeJar(byte[] bytes, String origin) {
        this.bytes = bytes;
        this.origin = origin;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** Where the bytes came from, for the plan. */
    public String origin() {
        return origin;
    }

    /** A given jar file (--jar), as it is. */
    public static RuntimeJar file(Path jar) {
        try {
            return new RuntimeJar(Files.readAllBytes(jar), jar.toString());
        } catch (IOException e) {
            throw N0d3Exception.usage("--jar " + jar + ": cannot read it: " + e.getMessage());
        }
    }

    /**
     * The runtime for this process: the running n0d3.jar itself, or one assembled from the class path when
     * the running jar is another one (JBang's build of install.java); null when the code runs from folders.
     */
    public static RuntimeJar ofThisProcess() {
        Path running = codeSource();
        if (running == null || !Files.isRegularFile(running)) return null;
        if (MAIN.equals(mainClass(running))) return file(running);
        List<Path> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) cp.add(Path.of(e));
        }
        if (!cp.contains(running)) cp.add(0, running);
        return new RuntimeJar(
                assemble(cp),
                "assembled from " + running.getFileName() + " (the JBang build of this script) and its "
                        + (cp.size() - 1) + " dependency jars");
    }

    /** The jar or folder this class was loaded from, or null. */
    static Path codeSource() {
        try {
            var src = RuntimeJar.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The Main-Class of a jar's manifest, or null. */
    static String mainClass(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            Manifest m = jf.getManifest();
            return m == null ? null : m.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * One runnable jar from class path entries (jars or folders), in their order: Main-Class {@value #MAIN},
     * Multi-Release (some dependencies are), Implementation-Version; the first copy of an entry wins, except
     * META-INF/services/* which are joined; manifests, signature files and module-info.class are left out.
     */
    public static byte[] assemble(List<Path> classPath) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, StringBuilder> services = new LinkedHashMap<>();
        for (Path p : classPath) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        add(
                                entries,
                                services,
                                p.relativize(f).toString().replace(java.io.File.separatorChar, '/'),
                                Files.readAllBytes(f));
                    }
                } catch (IOException e) {
                    throw N0d3Exception.failure("cannot read " + p + " for n0d3.jar: " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    Enumeration<? extends ZipEntry> en = z.entries();
                    while (en.hasMoreElements()) {
                        ZipEntry e = en.nextElement();
                        if (e.isDirectory()) continue;
                        try (InputStream in = z.getInputStream(e)) {
                            add(entries, services, e.getName(), in.readAllBytes());
                        }
                    }
                } catch (IOException e) {
                    throw N0d3Exception.failure("cannot read " + p + " for n0d3.jar: " + e.getMessage(), e);
                }
            }
        }
        services.forEach((name, text) -> entries.put(name, text.toString().getBytes(StandardCharsets.UTF_8)));
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, MAIN);
        a.put(Attributes.Name.IMPLEMENTATION_VERSION, Version.VERSION);
        a.put(Attributes.Name.MULTI_RELEASE, "true");
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 20);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            // the fastest level: 0.8 s instead of 2.4 s for the whole runtime here, and no bigger than the Maven jar
            zip.setLevel(java.util.zip.Deflater.BEST_SPEED);
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            mf.write(m);
            put(zip, new HashSet<>(), JarFile.MANIFEST_NAME, m.toByteArray());
            Set<String> dirs = new HashSet<>(Set.of("META-INF/"));
            for (Map.Entry<String, byte[]> e : entries.entrySet()) put(zip, dirs, e.getKey(), e.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void add(
            Map<String, byte[]> entries, Map<String, StringBuilder> services, String name, byte[] content) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (upper.equals("META-INF/MANIFEST.MF") || name.equals("module-info.class")) return;
        if (upper.startsWith("META-INF/")
                && name.indexOf('/', "META-INF/".length()) < 0
                && (upper.endsWith(".SF") || upper.endsWith(".DSA") || upper.endsWith(".RSA") || upper.endsWith(".EC")))
            return;
        if (name.startsWith("META-INF/services/") && name.length() > "META-INF/services/".length()) {
            StringBuilder sb = services.computeIfAbsent(name, k -> new StringBuilder());
            String text = new String(content, StandardCharsets.UTF_8);
            sb.append(text);
            if (!text.isEmpty() && !text.endsWith("\n")) sb.append('\n');
            return;
        }
        entries.putIfAbsent(name, content);
    }

    /** Writes the entry, after the folder entries above it that are not written yet (as jar tools do). */
    private static void put(ZipOutputStream zip, Set<String> dirs, String name, byte[] content) throws IOException {
        for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
            String dir = name.substring(0, i + 1);
            if (dirs.add(dir)) {
                ZipEntry d = new ZipEntry(dir);
                d.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(d);
                zip.closeEntry();
            }
        }
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    /**
     * Checks the candidate before it is installed: it holds every script of {@code lib.cli.Launcher} (the units
     * run telemetry and swarm-join), and it runs as the timer runs it ({@code JAVA -jar JAR telemetry --version})
     * answering with this build's version. {@code java}: the units' /usr/bin/java when it is there (a build for a
     * newer Java than the units' fails here, not in the timer), else the Java running this installer. Throws
     * (exit 1, nothing written yet) when not.
     */
    public void verify(ProcessRunner runner, Path java) {
        List<String> missing = new ArrayList<>();
        try (java.util.zip.ZipInputStream in =
                new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
            Set<String> names = new HashSet<>();
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) names.add(e.getName());
            for (String cls : lib.cli.Launcher.SCRIPTS.values())
                if (!names.contains(cls + ".class")) missing.add(cls + ".class");
        } catch (IOException e) {
            missing.add("a readable jar (" + e.getMessage() + ")");
        }
        if (!missing.isEmpty()) {
            throw N0d3Exception.failure(
                    "n0d3.jar (" + origin + ") lacks " + String.join(", ", missing) + ": not installed");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("n0d3-", ".jar");
            Files.write(tmp, bytes);
            ProcessResult r =
                    runner.runAnyExit(Command.of(java.toString(), "-jar", tmp.toString(), CHECKED, "--version")
                            .timeout(CHECK_TIMEOUT));
            if (r.exitCode() != 0 || !r.stdout().contains(" " + Version.VERSION + " ")) {
                String why = (r.stderr().isBlank() ? r.stdout() : r.stderr())
                        .strip()
                        .lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .limit(2)
                        .reduce((a, b) -> a + " | " + b)
                        .orElse("no output");
                throw N0d3Exception.failure("n0d3.jar (" + origin + ") does not run `" + CHECKED + " --version` on "
                        + java + " (exit " + r.exitCode() + ": " + why + "): not installed");
            }
        } catch (IOException e) {
            throw N0d3Exception.failure("cannot check n0d3.jar in a temporary file: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }
}
