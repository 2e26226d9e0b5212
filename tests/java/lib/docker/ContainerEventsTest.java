package lib.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import lib.docker.CannedHttpServer.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ContainerEvents against a loopback server answering as dockerd's GET /events does (200, chunked, held open,
 * one JSON line a chunk); which events dockerd sends for the filter is checked on real dockerd in
 * ContainerCgroupsLabTest.
 */
class ContainerEventsTest {
    static final String HEAD = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";
    static final String EVENT =
            "{\"status\":\"start\",\"id\":\"4a11cc28f549\",\"Type\":\"container\",\"Action\":\"start\"}\n";

    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] chunk(String s) {
        byte[] b = bytes(s);
        return bytes(Integer.toHexString(b.length) + "\r\n" + s + "\r\n");
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) Thread.sleep(50);
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void subscribesWithTheFilterAndMovesOnEveryEvent() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(dir);
                ContainerEvents events = new ContainerEvents(server.host())) {
            server.answer(new Answer(List.of(bytes(HEAD), chunk(EVENT)), 300, false));
            assertTrue(events.follow(Duration.ofSeconds(5)));
            long g = events.generation();
            eventually(() -> events.generation() > g, "the event moved the generation");
            assertTrue(events.following());
            String target = server.only().target();
            assertTrue(target.startsWith("/v1.41/events?filters="), target);
            assertEquals(
                    ContainerEvents.FILTER,
                    URLDecoder.decode(target.substring(target.indexOf('=') + 1), StandardCharsets.UTF_8));
            events.close();
            eventually(() -> !events.following(), "closed");
            assertFalse(events.follow(Duration.ofMillis(100)), "closed for good");
        }
    }

    @Test
    void aStreamThatEndsMovesTheGenerationAndIsFollowedAgainAtOnce() throws Exception {
        CannedHttpServer first = new CannedHttpServer(dir);
        try (ContainerEvents events = new ContainerEvents(first.host())) {
            first.answer(new Answer(List.of(bytes(HEAD)), 0, false));
            assertTrue(events.follow(Duration.ofSeconds(5)));
            long g = events.generation();
            first.close(); // dockerd restarted: the stream ends
            eventually(() -> !events.following(), "the end of the stream is seen");
            assertTrue(events.generation() > g, "and moves the generation");
            try (CannedHttpServer again = new CannedHttpServer(dir)) { // the new dockerd, on the same socket
                again.answer(new Answer(List.of(bytes(HEAD)), 0, false));
                assertTrue(events.follow(Duration.ofSeconds(5)), "a stream that was followed: no minute's wait");
                assertEquals(1, again.requests.size());
            }
        }
    }

    @Test
    void aRefusedSubscriptionIsNotTriedAgainForAMinute() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(dir);
                ContainerEvents events = new ContainerEvents(server.host())) {
            // a socket proxy that forbids /events (e.g. docker-socket-proxy with EVENTS=0)
            server.answer(Answer.json(403, "Forbidden", "{\"message\":\"forbidden\"}"));
            assertFalse(events.follow(Duration.ofSeconds(5)));
            long g = events.generation();
            assertFalse(events.follow(Duration.ofSeconds(1)));
            assertEquals(1, server.requests.size(), "no second subscription within " + ContainerEvents.RETRY_AFTER);
            assertEquals(g, events.generation());
        }
    }
}
