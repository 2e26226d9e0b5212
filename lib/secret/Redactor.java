package lib.secret;

import java.nio.charset.StandardCharsets;
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
     * True when {@code utf8} holds nothing to mask: no registered secret and no keyword of the patterns
     * ({@link #mayMatch}). Then the bytes can be printed as they are (a telemetry sample: no String built, no
     * characters encoded); otherwise they go through {@link #redact} as text.
     */
    public static boolean nothingIn(byte[] utf8) {
        for (String secret : KNOWN) {
            if (indexOf(utf8, secret.getBytes(StandardCharsets.UTF_8)) >= 0) return false;
        }
        return !mayMatch(utf8);
    }

    private static int indexOf(byte[] b, byte[] part) {
        int last = b.length - part.length;
        for (int i = 0; i <= last; i++) {
            int j = 0;
            while (j < part.length && b[i + j] == part[j]) j++;
            if (j == part.length) return i;
        }
        return -1;
    }

    /** {@link #mayMatch(byte[])} on the text's characters (any above 0xFF, in no keyword, read as '?'). */
    static boolean mayMatch(String s) {
        return mayMatch(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * False when no pattern can match: each needs one of these words (ASCII letters in any case where the pattern
     * has (?i), exact otherwise): SWMTKN-1-, tskey-, authorization, bearer, ://, passw(or)d, token, secret,
     * auth(_)key, api(_)key. One pass over the bytes (a byte of UTF-8 above 0x7F is in no word), the second
     * character compared before any call, so that a telemetry sample of 50 containers printed on stdout (20 KB,
     * run in the interpreter on a timer) does not go through the eight regular expressions for nothing.
     */
    static boolean mayMatch(byte[] b) {
        int n = b.length;
        for (int i = 0; i + 2 < n; i++) {
            int c = b[i];
            int d = b[i + 1] | 0x20;
            boolean hit = switch (c | 0x20) {
                case 's' -> (d == 'e' && at(b, i, "secret", true)) || (c == 'S' && at(b, i, "SWMTKN-1-", false));
                case 't' -> (d == 'o' && at(b, i, "token", true)) || (c == 't' && at(b, i, "tskey-", false));
                case 'a' -> (d == 'u' && at(b, i, "auth", true)) || (d == 'p' && at(b, i, "api", true));
                case 'b' -> d == 'e' && at(b, i, "bearer", true);
                case 'p' -> d == 'a' && at(b, i, "passw", true);
                case ':' -> c == ':' && b[i + 1] == '/' && b[i + 2] == '/';
                default -> false;
            };
            if (hit) return true;
        }
        return false;
    }

    /** Whether {@code word} (ASCII) stands at {@code i}, ASCII letters in any case when {@code anyCase}. */
    private static boolean at(byte[] b, int i, String word, boolean anyCase) {
        int len = word.length();
        if (i + len > b.length) return false;
        for (int j = 0; j < len; j++) {
            int c = b[i + j];
            int w = word.charAt(j);
            if (c != w && !(anyCase && w >= 'a' && w <= 'z' && (c | 0x20) == w)) return false;
        }
        return true;
    }
}
