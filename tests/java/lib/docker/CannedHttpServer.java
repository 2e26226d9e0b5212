package lib.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A unix-socket HTTP/1.1 server on the JDK alone that records each request and answers with canned
 * bytes, written in the given pieces with pauses between them (to exercise partial reads). It does
 * NOT close the connection after answering unless told to: the client must see the end of the
 * response from Content-Length or the last chunk. This tests our HTTP framing only; Docker's
 * behaviour itself is tested against real dockerd in the lab.
 */
final class CannedHttpServer implements AutoCloseable {
    record Request(String method, String target, Map<String, String> headers, String body, String raw) {}

    /** What to send back: pieces written one by one, {@code pauseMs} apart; close afterwards or hold the connection. */
    record Answer(List<byte[]> pieces, long pauseMs, boolean closeAfter) {
        static Answer of(String raw) {
            return new Answer(List.of(raw.getBytes(StandardCharsets.UTF_8)), 0, false);
        }

        static Answer json(int status, String reason, String json) {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            return of(
                    "HTTP/1.1 " + status + " " + reason + "\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + b.length + "\r\n\r\n" + json);
        }

        static Answer silent() {
            return new Answer(List.of(), 0, false);
        }
    }

    final Path socket;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final ServerSocketChannel server;
    private final Thread thread;
    private final List<SocketChannel> held = new CopyOnWriteArrayList<>();

    CannedHttpServer(Path dir) throws IOException {
        socket = dir.resolve("docker.sock");
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(this::serve, "canned-http");
        thread.setDaemon(true);
        thread.start();
    }

    CannedHttpServer answer(Answer a) {
        answers.add(a);
        return this;
    }

    DockerHost host() {
        return DockerHost.unix(socket);
    }

    Request only() {
        if (requests.size() != 1) throw new AssertionError("expected one request, got " + requests);
        return requests.get(0);
    }

    private void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Request r = read(ch);
                if (r == null) {
                    ch.close();
                    continue;
                }
                requests.add(r);
                Answer a = answers.poll(5, TimeUnit.SECONDS);
                if (a == null) a = Answer.json(500, "Internal Server Error", "{\"message\":\"no canned answer left\"}");
                for (int i = 0; i < a.pieces().size(); i++) {
                    if (i > 0 && a.pauseMs() > 0) Thread.sleep(a.pauseMs());
                    ByteBuffer bb = ByteBuffer.wrap(a.pieces().get(i));
                    while (bb.hasRemaining()) ch.write(bb);
                }
                if (a.closeAfter()) ch.close();
                else held.add(ch);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    private static Request read(SocketChannel ch) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int headEnd = -1;
        int contentLength = 0;
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) return null;
            raw.write(buf.array(), 0, n);
            String s = raw.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = s.indexOf("\r\n\r\n")) >= 0) {
                for (String line : s.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                        contentLength = Integer.parseInt(line.substring(15).strip());
                }
            }
            if (headEnd >= 0 && raw.size() >= headEnd + 4 + contentLength) break;
        }
        String s = raw.toString(StandardCharsets.UTF_8);
        String[] head = s.substring(0, headEnd).split("\r\n");
        String[] requestLine = head[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int c = head[i].indexOf(':');
            headers.put(
                    head[i].substring(0, c).toLowerCase(Locale.ROOT),
                    head[i].substring(c + 1).strip());
        }
        return new Request(requestLine[0], requestLine[1], headers, s.substring(headEnd + 4), s);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : new ArrayList<>(held)) c.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
