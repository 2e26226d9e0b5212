package lib.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The framing rules on their own: when is a response complete, and what is its body. */
class EngineHttpTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void contentLength() throws IOException {
        String head = "HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n";
        assertFalse(EngineHttp.complete(b(head + "{\"Id\":\"ab")));
        assertTrue(EngineHttp.complete(b(head + "{\"Id\":\"ab\"}")));
        EngineHttp.Response r = EngineHttp.parse(b(head + "{\"Id\":\"ab\"}"));
        assertEquals(201, r.status());
        assertEquals("{\"Id\":\"ab\"}", r.body());
    }

    @Test
    void theContentLengthLineIsFoundAtALineStartAnywhereInTheHead() {
        assertEquals(2, EngineHttp.contentLength("http/1.1 200 ok\r\nx-note: content-length: 99\r\ncontent-length: 2"));
        assertEquals(7, EngineHttp.contentLength("http/1.1 200 ok\r\ncontent-length:7\r\ndate: x"));
        assertEquals(-1, EngineHttp.contentLength("http/1.1 200 ok\r\ntransfer-encoding: chunked"));
        assertEquals(-1, EngineHttp.contentLength("http/1.1 204 no content"));
    }

    @Test
    void headerNamesAreCaseInsensitive() throws IOException {
        String raw = "HTTP/1.1 200 OK\r\ncontent-LENGTH: 2\r\n\r\nOK";
        assertTrue(EngineHttp.complete(b(raw)));
        assertEquals("OK", EngineHttp.parse(b(raw)).body());
    }

    @Test
    void chunked() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        String body = "4\r\n{\"a\"\r\n3;name=val\r\n:1}\r\n0\r\n\r\n";
        assertFalse(EngineHttp.complete(b(head + body.substring(0, body.length() - 3))));
        assertTrue(EngineHttp.complete(b(head + body)));
        assertEquals("{\"a\":1}", EngineHttp.parse(b(head + body)).body());
    }

    @Test
    void aChunkWhoseDataLooksLikeTheLastChunkIsNotTheEnd() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        String first = "a\r\n[1,\r\n0\r\n\r\n\r\n"; // 10 data bytes: [1,CRLF0CRLFCRLF, then the chunk's CRLF
        assertFalse(EngineHttp.complete(b(head + first)), "the data's CRLF 0 CRLF CRLF is not the last chunk");
        String all = first + "2\r\n2]\r\n0\r\n\r\n";
        assertFalse(
                EngineHttp.complete(b(head + all.substring(0, all.length() - 2))), "the trailer's CRLF still missing");
        assertTrue(EngineHttp.complete(b(head + all)));
        assertEquals("[1,\r\n0\r\n\r\n2]", EngineHttp.parse(b(head + all)).body());
        byte[] padded = java.util.Arrays.copyOf(b(head + all), head.length() + all.length() + 100);
        assertTrue(EngineHttp.complete(padded, head.length() + all.length()), "only the first n bytes count");
        assertFalse(EngineHttp.complete(padded, head.length() + first.length()));
    }

    @Test
    void emptyChunkedBody() throws IOException {
        String raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assertTrue(EngineHttp.complete(b(raw)));
        assertEquals("", EngineHttp.parse(b(raw)).body());
    }

    @Test
    void truncatedChunkIsAnError() {
        IOException e = assertThrows(
                IOException.class,
                () -> EngineHttp.parse(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort")));
        assertEquals("truncated chunk in response from the Docker daemon", e.getMessage());
    }

    @Test
    void headersNotYetCompleteIsAnError() {
        assertFalse(EngineHttp.complete(b("HTTP/1.1 200 OK\r\nContent-Len")));
        IOException e = assertThrows(IOException.class, () -> EngineHttp.parse(b("HTTP/1.1 200 OK\r\nContent-Len")));
        assertEquals("incomplete HTTP response from the Docker daemon", e.getMessage());
    }

    @Test
    void noLengthNoChunksMeansReadUntilClose() throws IOException {
        String raw = "HTTP/1.1 200 OK\r\n\r\nsome";
        assertFalse(EngineHttp.complete(b(raw)), "without a length the body runs until the peer closes");
        assertEquals("some", EngineHttp.parse(b(raw)).body());
        assertTrue(EngineHttp.complete(b("HTTP/1.1 204 No Content\r\n\r\n")));
        assertTrue(EngineHttp.complete(b("HTTP/1.1 304 Not Modified\r\n\r\n")));
    }
}
