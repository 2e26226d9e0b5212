package lib.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
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
     * The list read as a stream, skipping every other field (labels, mounts, network settings: nine tenths of the
     * answer), without a tree of it: the daemon reads it every sample. Anything but an array of objects is an
     * IOException.
     */
    static List<ListedContainer> read(byte[] json) throws IOException {
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
}
