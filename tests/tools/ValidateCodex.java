// Validates codex.yaml files against schemas/codex.schema.json with the project's own loader
// (lib.config.Settings: YAML parse, JSON Schema validation, FILE:LINE:COL errors), no host access.
// Usage (Java's single-file launcher, the project jar on the class path):
//   java -cp target/n0d3.jar tests/tools/ValidateCodex.java [FILE...]     (default: codex.yaml)
// Exit 0 all valid, 2 the first invalid file's one-line error.
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lib.cli.N0d3Exception;
import lib.config.CodexLoader;
import lib.config.Settings;

public class ValidateCodex {
    public static void main(String[] args) {
        List<String> files = args.length == 0 ? List.of("codex.yaml") : List.of(args);
        for (String f : files) {
            try {
                Settings s = Settings.load(Path.of(f), Map.of());
                System.out.println("ok: " + f + " is valid against " + CodexLoader.CODEX_SCHEMA
                        + " (metadata.version " + s.codex().metadata().version() + ")");
            } catch (N0d3Exception e) {
                System.err.println("error: " + e.getMessage());
                System.exit(e.exitCode());
            }
        }
    }
}
