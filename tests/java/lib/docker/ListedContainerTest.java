package lib.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void anythingButAnArrayOfObjectsIsRefused() {
        for (String bad : List.of(
                "{\"message\":\"page not found\"}",
                "[{\"Id\":\"a\"}, 3]",
                "[{\"Id\":\"a\"}] []",
                "[{\"Id\":\"a\",\"Names\":[\"/x\"",
                "[{\"Id\":\"a\"}",
                "")) {
            assertThrows(IOException.class, () -> read(bad), bad);
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
