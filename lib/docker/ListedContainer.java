package lib.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import lib.json.Json;

/**
 * One container as {@code GET /containers/json} lists it, with only the fields telemetry reads: the full id, the
 * first name (with its leading slash), the image as given at create time, the state word and the status text
 * ("Up 3 minutes (unhealthy)"). An absent field is the empty string.
 */
public record ListedContainer(String id, String name, String image, String state, String status) {

    /**
     * The list, skipping every other field (labels, mounts, network settings: nine tenths of the answer), without
     * a tree of it: every telemetry sample reads it. Read from the bytes by {@link Scan} where the answer is as
     * dockerd writes it, else by Jackson's streaming parser, which also words the error. Anything but an array of
     * objects is an IOException.
     */
    static List<ListedContainer> read(byte[] json) throws IOException {
        List<ListedContainer> scanned = scan(json);
        return scanned != null ? scanned : parse(json);
    }

    /** The list as {@link Scan} reads it, or null where Jackson must read it. */
    static List<ListedContainer> scan(byte[] json) {
        return new Scan(json).list();
    }

    /** The list read by Jackson's streaming parser, the reader of record: {@link Scan} gives what this gives. */
    static List<ListedContainer> parse(byte[] json) throws IOException {
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) throw new IOException("the container list is not a JSON array");
            List<ListedContainer> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) out.add(one(p));
            if (t != JsonToken.END_ARRAY || p.nextToken() != null)
                throw new IOException("the container list holds something other than objects");
            return out;
        }
    }

    private static ListedContainer one(JsonParser p) throws IOException {
        String id = "";
        String name = "";
        String image = "";
        String state = "";
        String status = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "Id" -> id = text(p, v);
                case "Image" -> image = text(p, v);
                case "State" -> state = text(p, v);
                case "Status" -> status = text(p, v);
                case "Names" -> name = first(p, v);
                default -> p.skipChildren();
            }
        }
        return new ListedContainer(id, name, image, state, status);
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) return p.getText();
        p.skipChildren();
        return "";
    }

    /** The first string of an array (Names), the array read to its end. */
    private static String first(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_ARRAY) return text(p, v);
        String first = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) throw new IOException("the container list ends inside Names");
            if (first == null && t == JsonToken.VALUE_STRING) first = p.getText();
            else p.skipChildren();
        }
        return first == null ? "" : first;
    }

    /**
     * The list read straight from the bytes, for a timer run's cold JVM, where Jackson's tokenizer runs interpreted:
     * a run with 50 containers spends 8 ms less CPU reading it this way (docs/decisions/telemetry-cost.md). It
     * reads only what it can decide alone: the five fields as plain ASCII strings (no escape), Names as an array
     * whose first element is such a string. For anything else (an escape or a non-ASCII byte in a kept string or
     * in a key, a kept field of another type, a bracket or quote out of place, nesting deeper than 62) it gives
     * null and Jackson reads the answer. A skipped value is checked for its brackets and strings, not for the
     * spelling of its numbers and literals. A field given twice keeps its last value, as with Jackson.
     */
    private static final class Scan {
        private final byte[] b;
        private final int n;
        private int i;

        Scan(byte[] b) {
            this.b = b;
            this.n = b.length;
        }

        List<ListedContainer> list() {
            blanks();
            if (i >= n || b[i] != '[') return null;
            i++;
            List<ListedContainer> out = new ArrayList<>();
            blanks();
            if (i < n && b[i] == ']') return end(out);
            while (true) {
                blanks();
                if (i >= n || b[i] != '{') return null;
                i++;
                ListedContainer c = object();
                if (c == null) return null;
                out.add(c);
                blanks();
                if (i >= n) return null;
                if (b[i] == ']') return end(out);
                if (b[i] != ',') return null;
                i++;
            }
        }

        /** Past the array's closing bracket: nothing but blanks may follow. */
        private List<ListedContainer> end(List<ListedContainer> out) {
            i++;
            blanks();
            return i == n ? out : null;
        }

        /** One container, from just past its '{' to just past its '}'; null where Jackson must decide. */
        private ListedContainer object() {
            String id = "";
            String name = "";
            String image = "";
            String state = "";
            String status = "";
            blanks();
            if (i < n && b[i] == '}') {
                i++;
                return new ListedContainer(id, name, image, state, status);
            }
            while (true) {
                blanks();
                int k = i + 1;
                int kEnd = string(true);
                if (kEnd < 0) return null;
                blanks();
                if (i >= n || b[i] != ':') return null;
                i++;
                blanks();
                int field = field(k, kEnd);
                if (field == NAMES) {
                    name = firstName();
                    if (name == null) return null;
                } else if (field != OTHER) {
                    int v = i + 1;
                    int vEnd = string(true);
                    if (vEnd < 0) return null;
                    String s = new String(b, v, vEnd - v, StandardCharsets.ISO_8859_1); // ASCII: checked
                    switch (field) {
                        case ID -> id = s;
                        case IMAGE -> image = s;
                        case STATE -> state = s;
                        default -> status = s;
                    }
                } else if (!skipValue()) {
                    return null;
                }
                blanks();
                if (i >= n) return null;
                if (b[i] == '}') {
                    i++;
                    return new ListedContainer(id, name, image, state, status);
                }
                if (b[i] != ',') return null;
                i++;
            }
        }

        private static final int OTHER = 0;
        private static final int ID = 1;
        private static final int IMAGE = 2;
        private static final int STATE = 3;
        private static final int STATUS = 4;
        private static final int NAMES = 5;

        /** Which kept field the key in [from, to) is. */
        private int field(int from, int to) {
            int len = to - from;
            if (len == 2 && b[from] == 'I' && b[from + 1] == 'd') return ID;
            if (len < 5 || len > 6) return OTHER;
            if (is(from, len, "Image")) return IMAGE;
            if (is(from, len, "State")) return STATE;
            if (is(from, len, "Status")) return STATUS;
            if (is(from, len, "Names")) return NAMES;
            return OTHER;
        }

        private boolean is(int from, int len, String word) {
            if (len != word.length()) return false;
            for (int j = 0; j < len; j++) {
                if (b[from + j] != word.charAt(j)) return false;
            }
            return true;
        }

        /** Names: an array whose first element is a plain string (the rest skipped); null otherwise. */
        private String firstName() {
            if (i >= n || b[i] != '[') return null;
            i++;
            blanks();
            if (i < n && b[i] == ']') {
                i++;
                return "";
            }
            int v = i + 1;
            int vEnd = string(true);
            if (vEnd < 0) return null;
            String first = new String(b, v, vEnd - v, StandardCharsets.ISO_8859_1);
            while (true) {
                blanks();
                if (i >= n) return null;
                if (b[i] == ']') {
                    i++;
                    return first;
                }
                if (b[i] != ',') return null;
                i++;
                blanks();
                if (!skipValue()) return null;
            }
        }

        /**
         * The string at i: i goes past its closing quote, whose index is returned. -1 where there is no string, it
         * does not end or holds a control character, and for a {@code plain} one where it holds an escape or a
         * non-ASCII byte (the kept fields: what this reader decides alone).
         */
        private int string(boolean plain) {
            if (i >= n || b[i] != '"') return -1;
            int j = i + 1;
            while (j < n) {
                byte c = b[j];
                if (c == '"') {
                    i = j + 1;
                    return j;
                }
                if (c == '\\') {
                    if (plain) return -1;
                    j++; // the escaped character
                } else if (c < 0x20 && (plain || c >= 0)) { // a byte >= 0x80 is negative
                    return -1;
                }
                j++;
            }
            return -1;
        }

        /**
         * Past the value at i: a string (escapes read), an object or array (brackets matched, strings inside read),
         * or a number or literal (to the next delimiter); false where that is not what is there.
         */
        private boolean skipValue() {
            if (i >= n) return false;
            byte c = b[i];
            if (c == '"') return string(false) >= 0;
            if (c != '{' && c != '[') return skipScalar();
            long objects = 0; // bit d set: the bracket open at depth d is a '{'
            int depth = 0;
            while (i < n) {
                c = b[i];
                if (c == '"') {
                    if (string(false) < 0) return false;
                    continue;
                }
                if (c == '{' || c == '[') {
                    if (depth == 62) return false;
                    if (c == '{') objects |= 1L << depth;
                    else objects &= ~(1L << depth);
                    depth++;
                } else if (c == '}' || c == ']') {
                    if (depth == 0 || ((objects >>> (depth - 1)) & 1) != (c == '}' ? 1 : 0)) return false;
                    depth--;
                    if (depth == 0) {
                        i++;
                        return true;
                    }
                }
                i++;
            }
            return false;
        }

        /** A number, true, false or null: characters up to a delimiter; false when there are none. */
        private boolean skipScalar() {
            int j = i;
            while (j < n) {
                byte c = b[j];
                if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') break;
                if (c == '"' || c == '{' || c == '[' || c == ':') return false;
                j++;
            }
            if (j == i) return false;
            i = j;
            return true;
        }

        private void blanks() {
            while (i < n) {
                byte c = b[i];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                i++;
            }
        }
    }
}
