package lib.overlay;

import java.util.Locale;

/** The {hostname} / {node_name} placeholders of the overlay configs' name fields. */
public final class NamePattern {
    private NamePattern() {}

    /** Replaces {hostname} with the host's short name (up to the first dot) and {node_name} with the node name. */
    public static String render(String pattern, String hostname, String nodeName) {
        if (pattern == null) return "";
        String shortName = hostname == null ? "" : hostname.split("\\.", 2)[0];
        return pattern.replace("{hostname}", shortName).replace("{node_name}", nodeName == null ? shortName : nodeName);
    }

    /** Lower-cased, anything but a-z 0-9 - turned into '-', runs collapsed, trimmed to 63 characters. */
    public static String dnsLabel(String s) {
        String l = s.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("^-+", "");
        if (l.length() > 63) l = l.substring(0, 63);
        return l.replaceAll("-+$", "");
    }
}
