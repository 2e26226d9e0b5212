package build;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import lib.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import support.Project;

/**
 * Every script's --help at a terminal's 80 columns, as picocli prints it: no line wider than 80, and no hand-made
 * line break inside a paragraph (text pre-wrapped at another width wraps raggedly: a long line, picocli's short
 * remainder, the next long line). A line break inside a paragraph is picocli's only when the next line's first
 * word would not have fitted (picocli fills text up to 79 columns); indented lines (synopsis, option rows, lists)
 * and blank lines are not paragraph text.
 */
class HelpWidthTest {
    static final int WIDTH = 80;

    static Stream<Path> scripts() {
        return Project.scripts().stream();
    }

    static String help(String cls) throws Exception {
        Object script = Class.forName(cls).getDeclaredConstructor().newInstance();
        CommandLine cl = Cli.commandLine(script);
        cl.setUsageHelpWidth(WIDTH);
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** The lines of {@code help} that break a paragraph by hand, with the word that would have fitted. */
    static List<String> raggedBreaks(String help) {
        List<String> out = new ArrayList<>();
        String[] lines = help.split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i++) {
            String line = lines[i];
            String next = lines[i + 1];
            if (line.isBlank()
                    || next.isBlank()
                    || Character.isWhitespace(line.charAt(0))
                    || Character.isWhitespace(next.charAt(0))) continue;
            String word = next.strip().split("\\s+", 2)[0];
            // picocli fills description text up to WIDTH - 1 columns
            if (line.stripTrailing().length() + 1 + word.length() <= WIDTH - 1) {
                out.add("line " + (i + 1) + " ends early (\"" + word + "\" fits): " + line.stripTrailing());
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void helpFitsEightyColumnsAndPicocliDoesTheWrapping(Path script) throws Exception {
        String f = script.getFileName().toString();
        String help = help(f.substring(0, f.length() - ".java".length()));
        for (String l : help.split("\n")) assertTrue(l.length() <= WIDTH, f + ": wider than " + WIDTH + ": " + l);
        List<String> ragged = raggedBreaks(help);
        assertTrue(
                ragged.isEmpty(),
                f + " --help has hand-made line breaks inside paragraphs (write each paragraph as one "
                        + "description line and let picocli wrap):\n  " + String.join("\n  ", ragged) + "\n\n" + help);
    }

    /** The check finds the ragged wrap text pre-wrapped at ~110 columns gives at 80. */
    @Test
    void theCheckCatchesTextPreWrappedWiderThanTheTerminal() {
        String ragged = "Samples this node's host and Docker metrics and reports them to the management\n"
                + "node, stdout and/or a\n"
                + "Prometheus textfile; never loses a sample on the way to the management node\n";
        assertFalse(raggedBreaks(ragged).isEmpty());
        String wrapped = "Samples this node's host and Docker metrics and reports them to the management\n"
                + "node, stdout and/or a Prometheus textfile; never loses a sample on the way to\n"
                + "the management node.\n"
                + "  -  an indented list item\n";
        assertTrue(raggedBreaks(wrapped).isEmpty(), raggedBreaks(wrapped).toString());
    }
}
