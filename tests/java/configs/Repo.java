package configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the checked-out project and of the shared/ folder laid beside it, for the config and docs tests. */
public final class Repo {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {}

    /** The project's root: surefire sets n0d3.basedir; an IDE run falls back to the working directory. */
    public static Path basedir() {
        return Path.of(System.getProperty("n0d3.basedir", ".")).toAbsolutePath().normalize();
    }

    public static Path file(String relative) {
        return basedir().resolve(relative);
    }

    /** The shared/ folder's schema NAME (see {@link support.Shared}: skipped with the reason when the clone has no ../shared). */
    public static Path sharedSchema(String name) {
        return support.Shared.require("schemas/" + name);
    }

    public static JsonNode yaml(Path p) {
        try {
            return YAML.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    public static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    public static boolean labRequired() {
        return support.Need.strict();
    }

    /** A missing tool: skipped with the reason, or a failure when N0D3_REQUIRE_LAB=1 (CI). */
    public static void requireTool(boolean present, String reason) {
        support.Need.that(present, reason);
    }
}
