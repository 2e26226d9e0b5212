package lib.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to one API endpoint: the method, the path below the transport's base URL, the body and its media
 * type (none for a GET), extra headers, and what the call does in words ("queue a run in workspace ws-1"),
 * for progress lines and error messages.
 */
public record Endpoint(
        String method, String path, String contentType, byte[] body, Map<String, String> headers, String action) {
    public Endpoint {
        headers = Map.copyOf(headers);
    }

    public static Endpoint get(String path, String action) {
        return new Endpoint("GET", path, null, null, Map.of(), action);
    }

    public static Endpoint post(String path, String contentType, byte[] body, String action) {
        return new Endpoint("POST", path, contentType, body, Map.of(), action);
    }

    public static Endpoint patch(String path, String contentType, byte[] body, String action) {
        return new Endpoint("PATCH", path, contentType, body, Map.of(), action);
    }

    /** This call with one more request header. */
    public Endpoint header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Endpoint(method, path, contentType, body, h, action);
    }
}
