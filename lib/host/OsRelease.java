package lib.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** /etc/os-release (falling back to /usr/lib/os-release) as the os-release(5) man page defines it. */
public record OsRelease(Map<String, String> fields) {
    public static OsRelease read(Path root) {
        for (String p : List.of("etc/os-release", "usr/lib/os-release")) {
            Path f = root.resolve(p);
            if (Files.isRegularFile(f)) {
                try {
                    return parse(Files.readString(f, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // fall through to the next candidate
                }
            }
        }
        return new OsRelease(Map.of());
    }

    public static OsRelease parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            m.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        return new OsRelease(Map.copyOf(m));
    }

    static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            v = v.substring(1, v.length() - 1);
        }
        return v.replaceAll("\\\\([\"'$`\\\\])", "$1");
    }

    public String get(String key) {
        return fields.getOrDefault(key, "");
    }

    public String id() {
        return get("ID").toLowerCase(Locale.ROOT);
    }

    /** ID_LIKE as a list ("ubuntu debian" → [ubuntu, debian]). */
    public List<String> idLike() {
        String v = get("ID_LIKE").toLowerCase(Locale.ROOT).strip();
        return v.isEmpty() ? List.of() : Arrays.asList(v.split("\\s+"));
    }

    public String versionId() {
        return get("VERSION_ID");
    }

    /** UBUNTU_CODENAME (the Ubuntu release a derivative is built on, which package repositories name), else VERSION_CODENAME. */
    public String codename() {
        String u = get("UBUNTU_CODENAME");
        return u.isEmpty() ? get("VERSION_CODENAME") : u;
    }

    public String prettyName() {
        String p = get("PRETTY_NAME");
        return p.isEmpty() ? (get("NAME") + " " + versionId()).strip() : p;
    }
}
