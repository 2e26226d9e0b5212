package lib.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.docker.CannedHttpServer.Answer;
import lib.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Project;

/**
 * The container list read as a stream: the same five fields a tree of the whole answer gives, on dockerd
 * 20.10.24's recorded answer (tests/resources/engine/containers.json) and on shapes built to catch a reader that
 * takes a field of a nested object or stops early.
 */
class ListedContainerTest {
    static List<ListedContainer> read(String json) throws IOException {
        return ListedContainer.read(json.getBytes(StandardCharsets.UTF_8));
    }

    /** What the tree of the same answer says, field by field. */
    static List<ListedContainer> fromTree(byte[] json) throws IOException {
        List<ListedContainer> out = new ArrayList<>();
        for (JsonNode c : Json.parse(json)) {
            out.add(new ListedContainer(
                    c.path("Id").asText(),
                    c.path("Names").path(0).asText(),
                    c.path("Image").asText(),
                    c.path("State").asText(),
                    c.path("Status").asText()));
        }
        return out;
    }

    @Test
    void aRecordedAnswerGivesWhatItsTreeGives() throws IOException {
        byte[] answer = Files.readAllBytes(Project.basedir().resolve("tests/resources/engine/containers.json"));
        List<ListedContainer> listed = ListedContainer.read(answer);
        assertEquals(fromTree(answer), listed);
        assertEquals(3, listed.size());
        assertEquals(
                new ListedContainer(
                        "4a11cc28f549e68b6d66a7b9727ffcd2c131c58d4f1e9a6653036e771fca4e5f",
                        "/web",
                        "n0d3-lab/busybox:latest",
                        "running",
                        "Up 4 seconds (unhealthy)"),
                listed.get(2));
    }

    @Test
    void fieldsOfNestedObjectsAndLaterNamesAreNotTaken() throws IOException {
        String json = "[{\"Labels\":{\"Id\":\"label-id\",\"State\":\"label-state\"},"
                + "\"NetworkSettings\":{\"Networks\":{\"bridge\":{\"Names\":[\"/net\"],\"Status\":\"x\"}}},"
                + "\"Names\":[\"/first\",\"/link/alias\"],\"Mounts\":[{\"Image\":\"mount-image\"}],"
                + "\"Status\":\"Exited (0) 2 hours ago\",\"State\":\"exited\",\"Image\":\"alpine:3\",\"Id\":\"abc\"},"
                + "{\"Id\":\"def\",\"Names\":[],\"Ports\":[{\"PrivatePort\":80}]}]";
        assertEquals(
                List.of(
                        new ListedContainer("abc", "/first", "alpine:3", "exited", "Exited (0) 2 hours ago"),
                        new ListedContainer("def", "", "", "", "")),
                read(json));
        assertEquals(fromTree(json.getBytes(StandardCharsets.UTF_8)), read(json));
    }

    @Test
    void noContainersIsAnEmptyList() throws IOException {
        assertEquals(List.of(), read(" [ ] "));
    }

    @Test
    void theScanReadsARecordedAnswerAloneAndGivesWhatJacksonGives() throws IOException {
        byte[] answer = Files.readAllBytes(Project.basedir().resolve("tests/resources/engine/containers.json"));
        List<ListedContainer> scanned = ListedContainer.scan(answer);
        assertNotNull(scanned, "dockerd's own answer is read without Jackson");
        assertEquals(ListedContainer.parse(answer), scanned);
    }

    @Test
    void theScanSkipsStringsWithEscapedQuotesBackslashesAndBracketsAlone() {
        String json = "[{\"Command\":\"sh -c \\\"echo ]\\\" \\\\\",\"Labels\":{\"a\\\"}\":\"{[\\\\\\\"\"},"
                + "\"Id\":\"abc\",\"Names\":[\"/x\",\"/y\\\"z\"]}]";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new ListedContainer("abc", "/x", "", "", "")), ListedContainer.scan(bytes), json);
    }

    @Test
    void whatTheScanDoesNotDecideJacksonReads() throws IOException {
        for (String json : List.of(
                "[{\"Id\":\"a\",\"Image\":\"reg\\/x:1\"}]", // an escape in a kept string
                "[{\"Id\":\"a\",\"Names\":[\"/caf\u00e9\"]}]", // non-ASCII in a kept string
                "[{\"Id\":\"a\",\"Image\":null,\"State\":3}]", // kept fields of another type
                "[{\"Id\":\"a\",\"Names\":\"/x\"}]", // Names not an array
                "[{\"Id\":\"a\",\"Names\":[null,\"/second\"]}]", // Names' first element not a string
                "[{\"\\u0049d\":\"escaped-key\"}]", // an escaped key
                "[{\"Id\":\"a\",\"Labels\":" + "[".repeat(70) + "]".repeat(70) + "}]")) { // deeper than 62
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertNull(ListedContainer.scan(bytes), json);
            assertEquals(ListedContainer.parse(bytes), ListedContainer.read(bytes), json);
        }
        assertEquals(
                "escaped-key", read("[{\"\\u0049d\":\"escaped-key\"}]").get(0).id());
        assertEquals(
                "/second",
                read("[{\"Id\":\"a\",\"Names\":[null,\"/second\"]}]").get(0).name());
    }

    @Test
    void malformedAnswersAreLeftToJacksonWhichRefusesThem() {
        for (String bad : List.of(
                "{\"message\":\"page not found\"}",
                "[{\"Id\":\"a\"}, 3]",
                "[{\"Id\":\"a\"}] []",
                "[{\"Id\":\"a\",\"Names\":[\"/x\"",
                "[{\"Id\":\"a\"}",
                "[{\"Id\":\"a\",}]",
                "[{\"Id\" \"a\"}]",
                "[{\"Id\":\"a\",\"Labels\":{\"k\":[}]}]",
                "[{\"Id\":\"a\",\"Labels\":{\"k\":\"v}}]",
                "[{\"Id\":\"a\",\"Labels\":{\"k\":\"tab\there\"}}]",
                "")) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertNull(ListedContainer.scan(bytes), bad);
            assertThrows(IOException.class, () -> ListedContainer.read(bytes), bad);
        }
    }

    /**
     * Lists made at random from the pieces dockerd's answers hold (kept and other fields in any order, nested
     * objects and arrays, strings with escapes, braces and quotes inside, numbers, literals, blanks anywhere):
     * whatever the scan reads, it reads as Jackson does, and it reads most of them alone.
     */
    @Test
    void theScanGivesWhatJacksonGivesOnRandomLists() throws IOException {
        java.util.Random random = new java.util.Random(42);
        int alone = 0;
        int runs = 3000;
        for (int run = 0; run < runs; run++) {
            StringBuilder json = new StringBuilder();
            RandomJson g = new RandomJson(random, json);
            g.blank().append('[');
            int containers = random.nextInt(4);
            for (int c = 0; c < containers; c++) {
                if (c > 0) g.blank().append(',');
                g.container();
            }
            g.blank().append(']');
            g.blank();
            byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
            List<ListedContainer> scanned = ListedContainer.scan(bytes);
            List<ListedContainer> parsed = ListedContainer.parse(bytes);
            if (scanned != null) {
                alone++;
                assertEquals(parsed, scanned, json.toString());
            }
            assertEquals(parsed, ListedContainer.read(bytes), json.toString());
        }
        assertTrue(alone > runs / 2, "read by the scan alone: " + alone + " of " + runs);
    }

    /** Random pieces of a container list, written into {@code out}. */
    private record RandomJson(java.util.Random r, StringBuilder out) {
        static final String[] KEPT = {"Id", "Names", "Image", "State", "Status"};
        static final String[] OTHER = {"Labels", "Ports", "HostConfig", "NetworkSettings", "Mounts", "Created", "I"};

        StringBuilder blank() {
            if (r.nextInt(4) == 0) out.append(" \t\n\r".charAt(r.nextInt(4)));
            return out;
        }

        void container() {
            blank().append('{');
            int fields = r.nextInt(7);
            for (int f = 0; f < fields; f++) {
                if (f > 0) blank().append(',');
                boolean kept = r.nextBoolean();
                String key = kept ? KEPT[r.nextInt(KEPT.length)] : OTHER[r.nextInt(OTHER.length)];
                blank().append('"').append(key).append('"');
                blank().append(':');
                blank();
                if (kept && key.equals("Names") && r.nextInt(8) != 0) {
                    out.append('[');
                    int names = r.nextInt(3);
                    for (int k = 0; k < names; k++) {
                        if (k > 0) out.append(',');
                        blank();
                        if (k == 0 || r.nextBoolean()) keptString();
                        else value(2);
                    }
                    blank().append(']');
                } else if (kept && r.nextInt(8) != 0) {
                    keptString();
                } else {
                    value(0);
                }
            }
            blank().append('}');
        }

        /** Mostly as dockerd writes a name, image or state: plain ASCII; now and then any string. */
        void keptString() {
            if (r.nextInt(6) == 0) {
                string();
                return;
            }
            out.append('"');
            int len = r.nextInt(12);
            for (int k = 0; k < len; k++) out.append(" /:.-_()a0".charAt(r.nextInt(10)));
            out.append('"');
        }

        void string() {
            out.append('"');
            int len = r.nextInt(12);
            for (int k = 0; k < len; k++) {
                switch (r.nextInt(20)) {
                    case 0 -> out.append("\\\"");
                    case 1 -> out.append("\\\\");
                    case 2 -> out.append("\\u00e9");
                    case 3 -> out.append('\u00e9');
                    case 4 -> out.append("{[");
                    case 5 -> out.append("]}");
                    case 6 -> out.append(':');
                    default -> out.append((char) ('a' + r.nextInt(26)));
                }
            }
            out.append('"');
        }

        void value(int depth) {
            int kind = r.nextInt(depth > 3 ? 4 : 7);
            switch (kind) {
                case 0 -> string();
                case 1 -> out.append(r.nextInt(2000) - 1000);
                case 2 -> out.append(r.nextBoolean() ? "true" : "null");
                case 3 -> out.append("1.5e3");
                case 4, 5 -> {
                    out.append('{');
                    int n = r.nextInt(3);
                    for (int k = 0; k < n; k++) {
                        if (k > 0) blank().append(',');
                        blank();
                        out.append('"').append(KEPT[r.nextInt(KEPT.length)]).append('"');
                        blank().append(':');
                        blank();
                        value(depth + 1);
                    }
                    blank().append('}');
                }
                default -> {
                    out.append('[');
                    int n = r.nextInt(3);
                    for (int k = 0; k < n; k++) {
                        if (k > 0) blank().append(',');
                        blank();
                        value(depth + 1);
                    }
                    blank().append(']');
                }
            }
        }
    }

    @Test
    void theClientAsksForEveryContainerAndReadsTheAnswer(@TempDir Path dir) throws Exception {
        String answer = Files.readString(Project.basedir().resolve("tests/resources/engine/containers.json"));
        try (CannedHttpServer server = new CannedHttpServer(dir)) {
            server.answer(Answer.json(200, "OK", answer));
            DockerClient client = new DockerClient(server.host()).timeout(Duration.ofSeconds(5));
            List<ListedContainer> listed = client.containerList(true);
            assertEquals(
                    List.of("/uni", "/looper", "/web"),
                    listed.stream().map(ListedContainer::name).toList());
            assertEquals("/v1.41/containers/json?all=true", server.only().target());
        }
    }

    @Test
    void anAnswerThatIsNotAListIsADockerApiException(@TempDir Path dir) throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(dir)) {
            server.answer(Answer.json(200, "OK", "{\"Id\":\"a\"}"));
            DockerClient client = new DockerClient(server.host()).timeout(Duration.ofSeconds(5));
            DockerApiException e = assertThrows(DockerApiException.class, () -> client.containerList(false));
            assertTrue(
                    e.getMessage().startsWith("Docker GET /containers/json: not a container list: "), e.getMessage());
            assertEquals(200, e.status());
        }
    }
}
