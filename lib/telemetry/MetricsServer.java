package lib.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The daemon's HTTP endpoint: HTTP/1.1 GET and HEAD, one response per connection ({@code Connection: close}),
 * served one at a time by one thread that blocks in {@code accept()}, so that it costs nothing between scrapes.
 * A request line or headers not received within {@link #READ_TIMEOUT_MS}, or larger than {@link #MAX_HEAD}
 * bytes, end the connection; anything but GET or HEAD is 405. Why not {@code com.sun.net.httpserver}:
 * docs/decisions/telemetry-cost.md.
 */
final class MetricsServer {
    /** What a handler returns for a path. */
    record Response(int status, String contentType, String body) {}

    /** Answers one request path (the query string removed). */
    interface Handler {
        Response handle(String path);
    }

    static final int READ_TIMEOUT_MS = 5000;
    static final int MAX_HEAD = 8192;

    private final ServerSocket socket;
    private final Handler handler;
    private final Thread thread;

    private MetricsServer(ServerSocket socket, Handler handler) {
        this.socket = socket;
        this.handler = handler;
        this.thread = new Thread(this::serve, "telemetry-http");
        this.thread.setDaemon(true);
    }

    /** Binds {@code address} (backlog 16) and starts serving. */
    static MetricsServer start(InetSocketAddress address, Handler handler) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(address, 16);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        MetricsServer m = new MetricsServer(s, handler);
        m.thread.start();
        return m;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void stop() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket c = socket.accept()) {
                c.setSoTimeout(READ_TIMEOUT_MS);
                exchange(c.getInputStream(), c.getOutputStream());
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // a slow or vanished client, or the server socket closed by stop()
            } catch (IOException | RuntimeException e) {
                lib.cli.Log.debug("metrics endpoint: " + e);
            }
        }
    }

    /** Reads one request head and writes one response. */
    void exchange(InputStream in, OutputStream out) throws IOException {
        byte[] head = new byte[MAX_HEAD];
        int n = 0;
        int end = -1;
        while (end < 0) {
            if (n == head.length) {
                write(out, false, new Response(431, "text/plain; charset=utf-8", "request header too large\n"));
                return;
            }
            int r = in.read(head, n, head.length - n);
            if (r < 0) return;
            n += r;
            end = endOfHead(head, n);
        }
        String requestLine = new String(head, 0, indexOf(head, n, (byte) '\r'), StandardCharsets.ISO_8859_1);
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            write(out, false, new Response(400, "text/plain; charset=utf-8", "bad request\n"));
            return;
        }
        boolean head0 = parts[0].equals("HEAD");
        if (!head0 && !parts[0].equals("GET")) {
            write(out, false, new Response(405, "text/plain; charset=utf-8", "only GET and HEAD\n"));
            return;
        }
        String path = parts[1];
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        write(out, head0, handler.handle(path));
    }

    private static void write(OutputStream out, boolean headOnly, Response r) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        String h = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\nContent-Type: " + r.contentType()
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) out.write(body);
        out.flush();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Index just past the blank line ending the head, or -1. */
    static int endOfHead(byte[] b, int n) {
        for (int i = 3; i < n; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
        }
        return -1;
    }

    private static int indexOf(byte[] b, int n, byte c) {
        for (int i = 0; i < n; i++) if (b[i] == c) return i;
        return n;
    }
}
