package support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Where the project is, and what its pom.xml says (properties resolved). */
public final class Project {
    private Project() {}

    /** The project's top folder (Surefire passes it; a run from the IDE falls back to the working directory). */
    public static Path basedir() {
        String b = System.getProperty("n0d3.basedir");
        return Path.of(b != null ? b : System.getProperty("user.dir"))
                .toAbsolutePath()
                .normalize();
    }

    /** The packaged runnable jar (Failsafe runs after `package`; -Dn0d3.jar names another). */
    public static Path packagedJar() {
        Path j = Path.of(System.getProperty(
                "n0d3.jar", basedir().resolve("target/n0d3.jar").toString()));
        if (!java.nio.file.Files.isRegularFile(j)) throw new AssertionError("no " + j + ": run through mvn verify");
        return j;
    }

    /** The local Maven repository the build used. */
    public static Path m2() {
        String m = System.getProperty("n0d3.m2");
        if (m == null || m.isBlank() || m.contains("${")) m = System.getProperty("maven.repo.local");
        return m != null && !m.isBlank() ? Path.of(m) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The top-level JBang scripts: every *.java file directly in the project folder. */
    public static List<Path> scripts() {
        try (Stream<Path> s = Files.list(basedir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".java") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** pom.xml's parsed facts. */
    public record Pom(
            String groupId,
            String artifactId,
            String version,
            Map<String, String> properties,
            Map<String, Dep> dependencies) {}

    /** One dependency: coordinates with ${...} resolved, and its scope (compile when absent). */
    public record Dep(String groupId, String artifactId, String version, String scope) {
        public String ga() {
            return groupId + ":" + artifactId;
        }
    }

    public static Pom pom() {
        return pom(basedir().resolve("pom.xml"));
    }

    public static Pom pom(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            Document d = f.newDocumentBuilder().parse(file.toFile());
            Element project = d.getDocumentElement();
            Map<String, String> props = new LinkedHashMap<>();
            Element pe = child(project, "properties");
            if (pe != null) {
                NodeList nl = pe.getChildNodes();
                for (int i = 0; i < nl.getLength(); i++) {
                    if (nl.item(i) instanceof Element e)
                        props.put(e.getTagName(), e.getTextContent().strip());
                }
            }
            String version = text(project, "version");
            String groupId = text(project, "groupId");
            props.put("project.version", version);
            props.put("project.groupId", groupId);
            Map<String, Dep> deps = new LinkedHashMap<>();
            Element de = child(project, "dependencies");
            if (de != null) {
                NodeList nl = de.getChildNodes();
                for (int i = 0; i < nl.getLength(); i++) {
                    if (nl.item(i) instanceof Element e && e.getTagName().equals("dependency")) {
                        String scope = text(e, "scope");
                        Dep dep = new Dep(
                                resolve(text(e, "groupId"), props),
                                resolve(text(e, "artifactId"), props),
                                resolve(text(e, "version"), props),
                                scope == null ? "compile" : scope);
                        deps.put(dep.ga(), dep);
                    }
                }
            }
            return new Pom(groupId, text(project, "artifactId"), version, props, deps);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e, e);
        }
    }

    private static final Pattern PROP = Pattern.compile("\\$\\{([^}]+)}");

    /** Replaces ${name} with the property's value; an undefined property is an error. */
    public static String resolve(String s, Map<String, String> props) {
        if (s == null) return null;
        String out = s;
        for (int guard = 0; guard < 10 && out.contains("${"); guard++) {
            Matcher m = PROP.matcher(out);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = props.get(m.group(1));
                if (v == null) throw new IllegalStateException("pom.xml: undefined property ${" + m.group(1) + "}");
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            out = sb.toString();
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
