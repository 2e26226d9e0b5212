package build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.aether.util.version.GenericVersionScheme;
import org.eclipse.aether.version.InvalidVersionSpecificationException;
import org.eclipse.aether.version.Version;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import support.Need;
import support.Project;

/**
 * Every dependency and plugin of pom.xml and every //DEPS of the scripts is at the newest patch version
 * Maven Central serves for its line (the same MAJOR.MINOR; pre-releases such as -alpha, -beta, -rc, -M1 do
 * not count), or held back in .github/dependency-holds.txt with a reason. The versions come from each
 * artifact's maven-metadata.xml, as versions:display-dependency-updates reads them. Needs Maven Central
 * (N0D3_MAVEN_REPO names another repository): a failure in CI (N0D3_REQUIRE_LAB=1), a skip offline.
 */
class DependencyVersionsTest {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    static final Path HOLDS = Project.basedir().resolve(".github/dependency-holds.txt");
    static final GenericVersionScheme SCHEME = new GenericVersionScheme();
    static final Pattern RELEASE = Pattern.compile("\\d+(\\.\\d+)*");

    /** Every G:A:V the build and the scripts use, with where it is declared. */
    static Map<String, String> coordinates() throws Exception {
        Map<String, String> out = new TreeMap<>();
        Project.Pom pom = Project.pom();
        pom.dependencies().values().forEach(d -> out.put(d.ga() + ":" + d.version(), "pom.xml dependency"));
        var doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Project.basedir().resolve("pom.xml").toFile());
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            String g = Optional.ofNullable(text(p, "groupId")).orElse("org.apache.maven.plugins");
            String v = text(p, "version");
            if (v == null) continue;
            out.put(g + ":" + text(p, "artifactId") + ":" + Project.resolve(v, pom.properties()), "pom.xml plugin");
        }
        for (Path s : Project.scripts()) {
            for (String gav : JBangScript.read(s).deps())
                out.merge(gav, "//DEPS of " + s.getFileName(), (a, b) -> a + ", " + b);
        }
        return out;
    }

    private static String text(Element parent, String name) {
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e && e.getTagName().equals(name))
                return e.getTextContent().strip();
        }
        return null;
    }

    /** .github/dependency-holds.txt: "group:artifact:version  reason", # comments. */
    static Map<String, String> holds(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : lines) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] f = t.split("\\s+", 2);
            out.put(f[0], f.length > 1 ? f[1].strip() : "");
        }
        return out;
    }

    /** The newest release of the line (same MAJOR.MINOR) of {@code current} among {@code served}. */
    static Optional<String> newestPatch(String current, List<String> served) {
        String[] c = current.split("\\.");
        String line = c.length >= 2 ? c[0] + "." + c[1] : c[0];
        Version best = null;
        for (String v : served) {
            if (!RELEASE.matcher(v).matches()) continue;
            String[] p = v.split("\\.");
            if (!(p.length >= 2 ? p[0] + "." + p[1] : p[0]).equals(line)) continue;
            Version parsed = parse(v);
            if (best == null || parsed.compareTo(best) > 0) best = parsed;
        }
        return Optional.ofNullable(best).map(Version::toString);
    }

    static Version parse(String v) {
        try {
            return SCHEME.parseVersion(v);
        } catch (InvalidVersionSpecificationException e) {
            throw new IllegalArgumentException(v, e);
        }
    }

    /** One line per coordinate behind its newest patch without a hold, per hold without a reason, stale or unused. */
    static List<String> problems(
            Map<String, String> coordinates, Map<String, List<String>> served, Map<String, String> holds) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : coordinates.entrySet()) {
            String gav = e.getKey();
            String ga = gav.substring(0, gav.lastIndexOf(':'));
            String version = gav.substring(gav.lastIndexOf(':') + 1);
            List<String> versions = served.getOrDefault(ga, List.of());
            Optional<String> newest = newestPatch(version, versions);
            if (newest.isEmpty() || !versions.contains(version)) {
                out.add(gav + " (" + e.getValue() + "): Maven Central does not serve this version");
                continue;
            }
            boolean behind = parse(newest.get()).compareTo(parse(version)) > 0;
            String hold = holds.get(gav);
            if (behind && hold == null) {
                out.add(gav + " (" + e.getValue() + "): Maven Central serves " + newest.get()
                        + ", the newest patch of its line: raise it in pom.xml"
                        + " (and the //DEPS lines), or hold it back in .github/dependency-holds.txt with the reason");
            } else if (!behind && hold != null) {
                out.add(
                        gav
                                + ": held back in .github/dependency-holds.txt, but it is the newest patch already: remove the hold");
            }
        }
        for (Map.Entry<String, String> h : holds.entrySet()) {
            if (!coordinates.containsKey(h.getKey()))
                out.add(
                        h.getKey()
                                + ": held back in .github/dependency-holds.txt, but nothing uses that version: remove the hold");
            else if (h.getValue().isBlank())
                out.add(h.getKey() + ": held back in .github/dependency-holds.txt without a reason");
        }
        return out;
    }

    /** The versions maven-metadata.xml lists for group:artifact. */
    static List<String> served(String repo, String ga) throws IOException {
        String[] p = ga.split(":");
        URI u = URI.create(repo + p[0].replace('.', '/') + "/" + p[1] + "/maven-metadata.xml");
        HttpURLConnection c = (HttpURLConnection) u.toURL().openConnection();
        c.setConnectTimeout(15_000);
        c.setReadTimeout(30_000);
        try {
            if (c.getResponseCode() != 200) throw new IOException(u + ": HTTP " + c.getResponseCode());
            String xml;
            try (InputStream in = c.getInputStream()) {
                xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<String> out = new ArrayList<>();
            Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(xml);
            while (m.find()) out.add(m.group(1).strip());
            return out;
        } finally {
            c.disconnect();
        }
    }

    @Test
    void everyDependencyPluginAndDepsIsAtItsNewestPatchOrHeldWithAReason() throws Exception {
        String repo = Optional.ofNullable(System.getenv("N0D3_MAVEN_REPO"))
                .filter(s -> !s.isBlank())
                .orElse(CENTRAL);
        if (!repo.endsWith("/")) repo += "/";
        Map<String, String> coords = coordinates();
        assertTrue(coords.keySet().stream().anyMatch(g -> g.startsWith("info.picocli:picocli:")), coords.toString());
        assertTrue(
                coords.keySet().stream().anyMatch(g -> g.startsWith("org.apache.maven.plugins:maven-surefire-plugin:")),
                coords.toString());
        TreeSet<String> gas = new TreeSet<>();
        coords.keySet().forEach(g -> gas.add(g.substring(0, g.lastIndexOf(':'))));
        Map<String, List<String>> served = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<List<String>>> pending = new LinkedHashMap<>();
            for (String ga : gas) {
                final String r = repo;
                pending.put(ga, pool.submit(() -> served(r, ga)));
            }
            for (Map.Entry<String, Future<List<String>>> f : pending.entrySet()) {
                try {
                    served.put(f.getKey(), f.getValue().get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Need.that(
                            false, "cannot read the versions of " + f.getKey() + " from " + repo + ": " + e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, String> holds = holds(Files.readAllLines(HOLDS));
        List<String> problems = problems(coords, served, holds);
        coords.keySet().forEach(gav -> {
            String ga = gav.substring(0, gav.lastIndexOf(':'));
            System.out.println(gav + " -> newest patch "
                    + newestPatch(gav.substring(gav.lastIndexOf(':') + 1), served.get(ga))
                            .orElse("?") + (holds.containsKey(gav) ? " (held: " + holds.get(gav) + ")" : ""));
        });
        assertEquals(List.of(), problems);
    }

    /** The rules, on versions of the test's own. */
    @Test
    void behindWithoutAHoldStaleHoldsAndPreReleases() {
        Map<String, List<String>> served = Map.of(
                "org.example:lib", List.of("1.2.0", "1.2.9", "1.2.10", "1.3.0", "2.0.0-beta1"),
                "org.example:two", List.of("4.15", "4.16", "4.17", "4.16.1"),
                "org.example:pre", List.of("2.0.17", "2.1.0-alpha1", "2.0.18-rc1"));
        assertEquals(
                Optional.of("1.2.10"),
                newestPatch("1.2.0", served.get("org.example:lib")),
                "1.2.10 > 1.2.9, numerically");
        assertEquals(Optional.of("4.16.1"), newestPatch("4.16", served.get("org.example:two")));
        assertEquals(
                Optional.of("2.0.17"),
                newestPatch("2.0.17", served.get("org.example:pre")),
                "pre-releases do not count");

        Map<String, String> coords = new TreeMap<>(Map.of(
                "org.example:lib:1.2.9",
                "pom.xml dependency",
                "org.example:two:4.16",
                "//DEPS of x.java",
                "org.example:pre:2.0.17",
                "pom.xml plugin"));
        assertEquals(
                List.of(
                        "org.example:lib:1.2.9 (pom.xml dependency): Maven Central serves 1.2.10, the newest patch of its line: raise it in pom.xml (and the"
                                + " //DEPS lines), or hold it back in .github/dependency-holds.txt with the reason",
                        "org.example:two:4.16 (//DEPS of x.java): Maven Central serves 4.16.1, the newest patch of its line: raise it in pom.xml (and the //DEPS lines),"
                                + " or hold it back in .github/dependency-holds.txt with the reason"),
                problems(coords, served, Map.of()));
        Map<String, String> holds = holds(List.of(
                "# comment",
                "org.example:lib:1.2.9   1.2.10 breaks X (upstream issue 12); until 1.2.11",
                "org.example:two:4.16",
                "org.example:pre:2.0.17 no reason needed?",
                "org.example:gone:1.0 was used once"));
        assertEquals(
                List.of(
                        "org.example:pre:2.0.17: held back in .github/dependency-holds.txt, but it is the newest patch already: remove the hold",
                        "org.example:two:4.16: held back in .github/dependency-holds.txt without a reason",
                        "org.example:gone:1.0: held back in .github/dependency-holds.txt, but nothing uses that version: remove the hold"),
                problems(coords, served, holds));
        assertEquals(
                List.of("org.example:lib:1.2.7 (pom.xml dependency): Maven Central does not serve this version"),
                problems(Map.of("org.example:lib:1.2.7", "pom.xml dependency"), served, Map.of()));
    }

    @Test
    void theHoldsFileExplainsItsFormat() throws IOException {
        String text = Files.readString(HOLDS);
        assertTrue(text.contains("group:artifact:version"), "the file says its format");
    }
}
