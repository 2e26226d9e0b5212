package telemetry;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** schemas/telemetry-payload.schema.json, for tests that validate every payload they produce. */
public final class PayloadSchema {
    static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    private PayloadSchema() {}

    static synchronized JsonSchema schema() {
        if (schema == null) {
            try {
                JsonNode s =
                        JSON.readTree(Files.readAllBytes(basedir().resolve("schemas/telemetry-payload.schema.json")));
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }

    static Path basedir() {
        return Path.of(System.getProperty("n0d3.basedir", ".")).toAbsolutePath();
    }

    static Set<ValidationMessage> problems(JsonNode payload) {
        return schema().validate(payload);
    }

    /** Fails with every problem when {@code payload} (an object or a batch array) does not validate. */
    public static void assertValid(JsonNode payload) {
        if (payload.isArray()) {
            for (JsonNode p : payload) assertValid(p);
            return;
        }
        Set<ValidationMessage> p = problems(payload);
        if (!p.isEmpty())
            fail("payload does not match schemas/telemetry-payload.schema.json: " + p + "\npayload: " + payload);
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
