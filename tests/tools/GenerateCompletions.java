// Writes configs/bash-completion/SCRIPT.bash for every script from its current picocli options
// (lib.cli.Completion: picocli.AutoComplete's bash script, which zsh runs through bashcompinit).
// Run it after changing a script's options; tests/java/build/CompletionFilesTest fails until you do.
// Usage (Java's single-file launcher, the project jar on the class path, from the repository's root):
//   mvn -B -q -o package -DskipTests && java -cp target/n0d3.jar tests/tools/GenerateCompletions.java
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import lib.cli.Completion;

public class GenerateCompletions {
    public static void main(String[] args) throws Exception {
        for (String script : Completion.scripts()) {
            Path file = Path.of(Completion.resource(script));
            String text = Completion.bash(Completion.command(script));
            boolean same = Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text);
            if (!same) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
            System.out.println((same ? "unchanged: " : "written:   ") + file);
        }
    }
}
