package lib.secret;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Removes secrets from any text before it is printed, logged or put into an exception message.
 * Two layers: every secret value this process has loaded (registered by {@link Secret}), and
 * patterns for secrets we may meet without having loaded them (swarm join tokens, Tailscale auth
 * keys, bearer tokens, passwords in URLs).
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    /** The patterns, compiled on first use: most text (a telemetry sample, a progress line) never needs them. */
    static final class Patterns {
        static final Pattern[] ALL = {
            Pattern.compile("(SWMTKN-1-)[0-9a-z]+-[0-9a-z]+"),
            Pattern.compile("(tskey-)[A-Za-z0-9-]+"),
            Pattern.compile("(?i)(authorization:\\s*(?:bearer\\s+|basic\\s+)?)\\S+"),
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+"),
            Pattern.compile("(://[^/:@\\s]+:)[^@\\s/]+(?=@)"),
            // key=value, "key": "value" (JSON), and key: value where the value looks like a credential
            // (8+ characters with a digit), so that "auth_key: expected a string" stays readable
            Pattern.compile("(?i)((?:password|passwd|token|secret|auth_?key|api_?key)\\s*=\\s*\"?)[^\"\\s,}&]+"),
            Pattern.compile("(?i)(\"[A-Za-z_]*(?:password|passwd|token|secret|auth_?key|api_?key)\"\\s*:\\s*\")[^\"]+"),
            Pattern.compile(
                    "(?i)((?:password|passwd|token|secret|auth_?key|api_?key):\\s*)(?=[^\\s,}&\"]*[0-9])[^\\s,}&\"]{8,}"),
        };
    }

    private Redactor() {}

    /** Remember a secret value so that it is masked wherever it appears. Short values are ignored. */
    public static void register(String value) {
        if (value != null && value.length() >= 6) KNOWN.add(value);
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String s = text;
        for (String secret : KNOWN) {
            if (s.contains(secret)) s = s.replace(secret, MASK);
        }
        if (!mayMatch(s)) return s;
        for (Pattern p : Patterns.ALL) {
            s = p.matcher(s).replaceAll("$1" + MASK);
        }
        return s;
    }

    /**
     * False when no pattern can match: each needs one of these words (ASCII letters in any case where the pattern
     * has (?i), exact otherwise): SWMTKN-1-, tskey-, authorization, bearer, ://, passw(or)d, token, secret,
     * auth(_)key, api(_)key. One pass over the text, so that a telemetry sample of 50 containers printed on stdout
     * (20 KB, run in the interpreter on a timer) does not go through the eight regular expressions for nothing.
     */
    static boolean mayMatch(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            boolean hit = switch (s.charAt(i) | 0x20) {
                case 's' -> s.regionMatches(true, i, "secret", 0, 6) || s.startsWith("SWMTKN-1-", i);
                case 't' -> s.regionMatches(true, i, "token", 0, 5) || s.startsWith("tskey-", i);
                case 'a' -> s.regionMatches(true, i, "auth", 0, 4) || s.regionMatches(true, i, "api", 0, 3);
                case 'b' -> s.regionMatches(true, i, "bearer", 0, 6);
                case 'p' -> s.regionMatches(true, i, "passw", 0, 5);
                case ':' -> s.startsWith("://", i);
                default -> false;
            };
            if (hit) return true;
        }
        return false;
    }
}
