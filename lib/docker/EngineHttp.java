package lib.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client for the Engine API over a unix socket (or plain TCP), on the JDK's
 * SocketChannel: one connection per request ("Connection: close"), fixed-length and chunked bodies,
 * a deadline covering connect, write and read. See docs/decisions/engine-api-client.md for why this
 * and not a library.
 */
final class EngineHttp {
    /** Status and body bytes (dechunked); {@link #body()} decodes them as UTF-8. */
    record Response(int status, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final DockerHost host;

    EngineHttp(DockerHost host) {
        this.host = host;
    }

    Response exchange(String method, String path, String jsonBody, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = requestHead(host, method, path).append("Connection: close\r\n");
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (jsonBody != null || method.equals("POST") || method.equals("PUT")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");

        try (SocketChannel ch = SocketChannel.open(host.family());
                Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            if (!ch.connect(host.address())) {
                ch.register(sel, SelectionKey.OP_CONNECT);
                await(sel, deadline, "connect");
                ch.finishConnect();
            }
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.toString().getBytes(StandardCharsets.US_ASCII))
                    .put(body)
                    .flip();
            ch.register(sel, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(sel, deadline, "write");
                ch.write(out);
            }
            ch.register(sel, SelectionKey.OP_READ);
            // one growing buffer, read into directly; completeness checked on it in place (a 50-container list is
            // ~35 KB in several reads: no copy of the whole response per read)
            ByteBuffer in = ByteBuffer.allocate(16384);
            while (true) {
                await(sel, deadline, "response");
                if (!in.hasRemaining())
                    in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                int n = ch.read(in);
                if (n < 0) break;
                if (complete(in.array(), in.position())) break;
            }
            return parse(java.util.Arrays.copyOf(in.array(), in.position()));
        }
    }

    /** The request line and the headers every request carries, each line ended; the caller adds the rest. */
    static StringBuilder requestHead(DockerHost host, String method, String path) {
        return new StringBuilder()
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host.hostHeader())
                .append("\r\n")
                .append("User-Agent: pr-cybr-n0d3\r\n")
                .append("Accept: application/json\r\n");
    }

    private static void await(Selector sel, long deadline, String what) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || (sel.select(left) == 0 && System.nanoTime() >= deadline)) {
            throw new SocketTimeoutException("timed out waiting for " + what);
        }
        sel.selectedKeys().clear();
    }

    /** True once the whole response has arrived (so we need not wait for the peer to close). */
    static boolean complete(byte[] raw) {
        return complete(raw, raw.length);
    }

    /** {@link #complete(byte[])} on the first {@code n} bytes; a chunked body is walked chunk by chunk, not searched. */
    static boolean complete(byte[] raw, int n) {
        int headEnd = indexOf(raw, n, HEAD_END, 0);
        if (headEnd < 0) return false;
        String headers = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int start = headEnd + 4;
        long len = contentLength(headers);
        if (len >= 0) return n - start >= len;
        if (headers.contains("transfer-encoding: chunked")) {
            int pos = start;
            while (true) {
                int eol = indexOf(raw, n, CRLF, pos);
                if (eol < 0) return false;
                int size;
                try {
                    String sizeHex = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII).strip();
                    int semi = sizeHex.indexOf(';');
                    size = Integer.parseInt(semi < 0 ? sizeHex : sizeHex.substring(0, semi), 16);
                } catch (NumberFormatException e) {
                    return true; // not chunked after all: let parse() report it
                }
                if (size == 0) return indexOf(raw, n, CRLF, eol + 2) >= 0; // the (empty) trailer's CRLF
                pos = eol + 2 + size + 2;
                if (pos > n) return false;
            }
        }
        int status = status(headers);
        return status == 204 || status == 304;
    }

    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    static Response parse(byte[] raw) throws IOException {
        int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) throw new IOException("incomplete HTTP response from the Docker daemon");
        String headers = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int status = status(headers);
        int start = headEnd + 4;
        byte[] body;
        long len = contentLength(headers);
        if (headers.contains("transfer-encoding: chunked")) {
            body = dechunk(raw, start);
        } else if (len >= 0) {
            body = java.util.Arrays.copyOfRange(raw, start, (int) Math.min(raw.length, start + len));
        } else {
            body = java.util.Arrays.copyOfRange(raw, start, raw.length);
        }
        return new Response(status, body);
    }

    /** The status code of lower-cased response headers ("http/1.1 200 ok"), or -1. */
    static int status(String headers) {
        // "http/1.1 200 ok"
        int sp = headers.indexOf(' ');
        try {
            return Integer.parseInt(headers.substring(sp + 1, sp + 4));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The content-length header's value (the head lower-cased), or -1. The lines are walked with indexOf: a
     * two-character {@code split("\r\n")} compiles a regular expression on every answer.
     */
    static long contentLength(String headers) {
        int from = 0;
        while (from <= headers.length()) {
            int end = headers.indexOf("\r\n", from);
            if (end < 0) end = headers.length();
            if (headers.startsWith("content-length:", from))
                return Long.parseLong(headers.substring(from + 15, end).strip());
            from = end + 2;
        }
        return -1;
    }

    static byte[] dechunk(byte[] raw, int pos) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int eol = indexOf(raw, new byte[] {'\r', '\n'}, pos);
            if (eol < 0) throw new IOException("truncated chunked response from the Docker daemon");
            String sizeHex = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII).strip();
            int semi = sizeHex.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeHex : sizeHex.substring(0, semi), 16);
            if (size == 0) return out.toByteArray();
            int from = eol + 2;
            if (from + size > raw.length) throw new IOException("truncated chunk in response from the Docker daemon");
            out.write(raw, from, size);
            pos = from + size + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        return indexOf(hay, hay.length, needle, from);
    }

    private static int indexOf(byte[] hay, int n, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= n - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
