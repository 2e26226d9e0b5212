package configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import java.nio.file.Path;
import java.util.List;

/** Validates a document against a JSON Schema file, with the draft the schema itself declares in $schema. */
public final class SchemaCheck {
    private SchemaCheck() {}

    public static JsonSchema load(Path schemaFile) {
        JsonNode schema = Repo.json(schemaFile);
        SpecVersion.VersionFlag draft = SpecVersionDetector.detect(schema);
        SchemaValidatorsConfig cfg =
                SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        return JsonSchemaFactory.getInstance(draft).getSchema(schema, cfg);
    }

    /** One line per problem: "/json/pointer: message"; empty when valid. */
    public static List<String> problems(JsonSchema schema, JsonNode doc) {
        return schema.validate(doc).stream()
                .map(m -> m.getInstanceLocation() + " [" + m.getType() + "] " + m.getMessage())
                .sorted()
                .toList();
    }
}
