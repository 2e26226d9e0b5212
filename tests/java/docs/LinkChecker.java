package docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every relative link and #anchor in Markdown files the way GitHub renders them: a path resolves
 * against the linking file's folder (a leading / against the repository root), and an anchor must be the
 * slug of a heading in the target file (GitHub's rules: lower-case, punctuation other than - and _ removed,
 * spaces to -, repeated headings suffixed -1, -2 ...) or an explicit id/name attribute. External links
 * (a scheme such as https: or mailto:) are not fetched.
 */
final class LinkChecker {
    private static final Pattern INLINE =
            Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFDEF = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ID = Pattern.compile("<a\\s+[^>]*(?:name|id)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    LinkChecker(Path root) {
        this.root = root;
    }

    /** Problems as "FILE:LINE: link 'x': what is wrong"; empty when every link resolves. */
    List<String> check(List<Path> files) {
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = lines(f);
            boolean fence = false;
            String fenceMark = "";
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String t = line.stripLeading();
                if (t.startsWith("```") || t.startsWith("~~~")) {
                    String mark = t.substring(0, 3);
                    if (!fence) {
                        fence = true;
                        fenceMark = mark;
                    } else if (mark.equals(fenceMark)) {
                        fence = false;
                    }
                    continue;
                }
                if (fence) continue;
                String text = line.replaceAll("`[^`]*`", "");
                List<String> targets = new ArrayList<>();
                Matcher m = INLINE.matcher(text);
                while (m.find()) targets.add(m.group(1));
                Matcher r = REFDEF.matcher(text);
                if (r.matches()) targets.add(r.group(1));
                for (String target : targets) {
                    String problem = resolve(f, target);
                    if (problem != null)
                        problems.add(root.relativize(f) + ":" + (i + 1) + ": link '" + target + "': " + problem);
                }
            }
        }
        return problems;
    }

    private String resolve(Path from, String target) {
        if (SCHEME.matcher(target).find() || target.startsWith("//")) return null;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file;
        if (path.isEmpty()) {
            file = from;
        } else {
            String decoded =
                    java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            file = (decoded.startsWith("/")
                            ? root.resolve(decoded.substring(1))
                            : from.getParent().resolve(decoded))
                    .normalize();
            if (!file.startsWith(root)) return "points outside the repository";
            if (!Files.exists(file)) return "no such file " + root.relativize(file);
        }
        if (anchor == null || anchor.isEmpty()) return null;
        if (!file.toString().endsWith(".md"))
            return null; // line anchors (#L10) of code files are GitHub's, not the file's
        Set<String> known = anchors.computeIfAbsent(file, LinkChecker::anchorsOf);
        if (!known.contains(anchor)) return "no heading with anchor #" + anchor + " in " + root.relativize(file);
        return null;
    }

    /** The anchors GitHub generates for a Markdown file's headings, plus explicit id/name attributes. */
    static Set<String> anchorsOf(Path file) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        for (String line : lines(file)) {
            String t = line.stripLeading();
            if (t.startsWith("```") || t.startsWith("~~~")) {
                fence = !fence;
                continue;
            }
            if (fence) continue;
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
            Matcher a = HTML_ID.matcher(line);
            while (a.find()) out.add(a.group(1));
        }
        return out;
    }

    /** GitHub's heading slug (github-slugger): markup stripped, lower-cased, punctuation dropped, spaces to -. */
    static String slug(String heading) {
        String s = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // links and images: keep the text
                .replaceAll("<[^>]+>", "") // inline HTML tags
                .replace("`", "")
                .replaceAll("(\\*\\*|__|\\*|~~)", "");
        s = s.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_') sb.appendCodePoint(cp);
            else if (cp == ' ') sb.append('-');
        });
        return sb.toString();
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
