package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import configs.Repo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.build.BuildCommand;
import lib.cli.Cli;
import lib.cli.Completion;
import lib.cli.Launcher;
import lib.host.Arch;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the documents say about the scripts, against the scripts themselves: every flag that a Markdown file
 * (README, SOPs, plan, workflow notes, ...), jbang-catalog.json or a script's own --help gives a script is one of
 * its options; the platforms the catalog and --help name for a build script are the ones it builds; README's
 * Status and Layout rows name exactly the scripts there are, and the catalog aliases there are. Each check is shown
 * failing on a broken copy.
 */
class DocsMatchCodeTest {
    /** Script file name (install.java) → its alias (install). */
    static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        Launcher.SCRIPTS.forEach((alias, cls) -> ALIASES.put(cls + ".java", alias));
    }

    /** Flags a script's --help names that belong to another program, with that program. */
    static final Map<String, String> FOREIGN = Map.of("--tlsverify", "dockerd's (install's audit of the Engine API on TCP)");

    static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
    static final Pattern PLATFORM = Pattern.compile("linux/(?:amd64|arm64|arm/v7|arm/v6|386|riscv64|ppc64le|s390x)");

    /**
     * A script named in a document: its file (install.java, ./install.java, jbang install.java), its launcher name after
     * n0d3.jar, a catalog alias (jbang install@CATALOG), or the alias at the start of a command line as the SOPs write
     * them (swarm-join --check, $ telemetry --once; install only before a long flag: coreutils' install takes short ones).
     */
    static final Pattern SCRIPT;

    static {
        String files = String.join("|", ALIASES.keySet().stream().map(f -> Pattern.quote(f.substring(0, f.length() - 5))).toList());
        String aliases = String.join("|", ALIASES.values().stream().map(Pattern::quote).toList());
        SCRIPT = Pattern.compile("(?<![\\w-])(" + files + ")\\.java(?![\\w-])"
                + "|n0d3\\.jar\\s+(" + aliases + ")(?![\\w.-])"
                + "|(?<![\\w/-])(" + aliases + ")@\\S+"
                + "|(?m)(?:^|`)[ \\t]*(?:\\$ |sudo )?(" + aliases + ")(?=[ \\t]+--)");
    }

    /** Where a command's arguments end: a pipe, a list operator, a comment, the end of a code span or of the line. */
    static final Pattern END = Pattern.compile("\\||;|&&|\\s#|`|\\n");

    static Map<String, CommandSpec> specs() throws ReflectiveOperationException {
        Map<String, CommandSpec> out = new LinkedHashMap<>();
        for (String alias : Launcher.SCRIPTS.keySet()) out.put(alias, Cli.commandLine(Completion.command(alias)).getCommandSpec());
        return out;
    }

    static boolean has(CommandSpec spec, String flag) {
        return spec.findOption(flag) != null;
    }

    static String alias(Matcher m) {
        if (m.group(1) != null) return ALIASES.get(m.group(1) + ".java");
        for (int g = 2; g <= 4; g++) if (m.group(g) != null) return m.group(g);
        throw new IllegalStateException();
    }

    /** "FILE:LINE: SCRIPT has no option --x" for every flag a text gives a script that the script does not have. */
    static List<String> unknownFlags(String file, String text, Map<String, CommandSpec> specs) {
        String joined = text.replace("\\\n", " \u2028"); // a shell line continued on the next (a line still, for the line numbers)
        List<String> out = new ArrayList<>();
        Matcher m = SCRIPT.matcher(joined);
        List<int[]> at = new ArrayList<>();
        List<String> who = new ArrayList<>();
        while (m.find()) {
            at.add(new int[] {m.start(), m.end()});
            who.add(alias(m));
        }
        for (int i = 0; i < at.size(); i++) {
            int from = at.get(i)[1];
            int to = i + 1 < at.size() ? at.get(i + 1)[0] : joined.length();
            Matcher end = END.matcher(joined).region(from, to);
            if (end.find()) to = end.start();
            Matcher f = FLAG.matcher(joined).region(from, to);
            while (f.find()) {
                if (!has(specs.get(who.get(i)), f.group())) {
                    int line = 1 + (int) joined.substring(0, from).chars().filter(c -> c == '\n' || c == '\u2028').count();
                    out.add(file + ":" + line + ": " + who.get(i) + " has no option " + f.group());
                }
            }
        }
        return out;
    }

    static List<Path> documents() {
        return MarkdownFiles.all();
    }

    @Test
    void everyFlagTheDocumentsGiveAScriptIsOneOfItsOptions() throws Exception {
        Map<String, CommandSpec> specs = specs();
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (Path p : documents()) {
            String text = Repo.read(p);
            problems.addAll(unknownFlags(Repo.basedir().relativize(p).toString(), text, specs));
            Matcher m = SCRIPT.matcher(text);
            while (m.find()) seen++;
        }
        assertTrue(seen > 100, "script mentions seen in the documents: " + seen);
        assertEquals(List.of(), problems);
    }

    @Test
    void aFlagNoScriptHasIsFound() throws Exception {
        Map<String, CommandSpec> specs = specs();
        String broken = "Run `install --verify --purge-all` first.\n\n```sh\n"
                + "java -jar /opt/pr-cybr/n0d3.jar swarm-join --leave --force \\\n    --quorum-break   # the flag is --break-quorum\n"
                + "$ telemetry --once --output - | jq --slurp .   # jq's flag is jq's\n"
                + "jbang build-arm@PR-CYBR/PR-CYBR-N0D3 --push --manifests\n"
                + "./tfc_sync.java --environment dev --no-run; swarm_join.java --status --verbose\n"
                + "install -d -m 0755 /etc/pr-cybr\n```\n";
        assertEquals(List.of("x.md:1: install has no option --purge-all", "x.md:4: swarm-join has no option --quorum-break",
                "x.md:7: build-arm has no option --manifests"), unknownFlags("x.md", broken, specs));
    }

    /** The catalog's words for each alias, and each script's --help, name only the script's own flags. */
    @Test
    void theCatalogAndEachScriptsHelpNameOnlyItsOwnFlags() throws Exception {
        Map<String, CommandSpec> specs = specs();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : catalog().path("aliases").properties()) {
            String alias = e.getKey();
            problems.addAll(foreignFlags("jbang-catalog.json " + alias, e.getValue().path("description").asText(), specs.get(alias)));
        }
        for (Map.Entry<String, CommandSpec> e : specs.entrySet()) problems.addAll(foreignFlags(e.getKey() + " --help", help(e.getValue()), e.getValue()));
        assertEquals(List.of(), problems);
        assertEquals(List.of("x --help: names --quorum-break, which it does not have"),
                foreignFlags("x --help", "With --leave --force: --quorum-break leaves anyway; dockerd without --tlsverify", specs.get("swarm-join")));
    }

    static List<String> foreignFlags(String where, String text, CommandSpec spec) {
        List<String> out = new ArrayList<>();
        Matcher f = FLAG.matcher(text);
        while (f.find()) {
            if (!has(spec, f.group()) && !FOREIGN.containsKey(f.group())) out.add(where + ": names " + f.group() + ", which it does not have");
        }
        return out.stream().distinct().toList();
    }

    static String help(CommandSpec spec) {
        StringBuilder sb = new StringBuilder(String.join("\n", spec.usageMessage().description())).append('\n');
        sb.append(String.join("\n", spec.usageMessage().footer())).append('\n');
        for (OptionSpec o : spec.options()) sb.append(String.join(" ", o.description())).append('\n');
        return sb.toString();
    }

    static JsonNode catalog() {
        return Repo.json(Repo.file("jbang-catalog.json"));
    }

    /** The linux/... platforms a text names. */
    static Set<String> platforms(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLATFORM.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** The catalog's description and the first line of --help of build-amd and build-arm name the platforms each builds. */
    @Test
    void theBuildScriptsDescriptionsNameThePlatformsTheyBuild() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String alias : List.of("build-amd", "build-arm")) {
            BuildCommand c = (BuildCommand) Completion.command(alias);
            Set<String> built = new TreeSet<>(c.platforms().stream().map(Arch::platform).toList());
            String first = Cli.commandLine(c).getCommandSpec().usageMessage().description()[0];
            problems.addAll(platformProblems("jbang-catalog.json " + alias, catalog().path("aliases").path(alias).path("description").asText(), built));
            problems.addAll(platformProblems(alias + " --help", first, built));
        }
        assertEquals(List.of(), problems);
        assertEquals(List.of("x: names [linux/amd64, linux/arm64], builds [linux/arm/v7, linux/arm64]"),
                platformProblems("x", "Builds linux/arm64 and linux/amd64.", Set.of("linux/arm64", "linux/arm/v7")));
    }

    static List<String> platformProblems(String where, String text, Set<String> built) {
        Set<String> named = platforms(text);
        return named.equals(new TreeSet<>(built)) ? List.of() : List.of(where + ": names " + named + ", builds " + new TreeSet<>(built));
    }

    /** README's Status table (first column) and Layout's first row name exactly the scripts; Layout's catalog row, exactly the aliases. */
    @Test
    void theReadmeNamesExactlyTheScriptsAndAliasesThereAre() {
        assertEquals(List.of(), readmeProblems(ConfigReferenceTest.readme()));
    }

    @Test
    void aScriptMissingFromTheReadmeOrNamedThereWithoutExistingIsFound() {
        String broken = ConfigReferenceTest.readme()
                .replace("| `build_amd.java`, `build_arm.java` | work:", "| `build_amd.java`, `build_x86.java` | work:")
                .replace("`build_arm.java`, `tfc_sync.java` | the JBang scripts", "`tfc_sync.java` | the JBang scripts")
                .replace("`build-arm`, `tfc-sync`): `jbang install", "`build-arm`, `tfc-sync`, `destroy`): `jbang install");
        assertEquals(List.of("Status names build_x86.java, which is no script", "Status does not name build_arm.java",
                "Layout's scripts row does not name build_arm.java", "Layout's catalog row names destroy, which is no alias"), readmeProblems(broken));
    }

    static final Pattern CODE = Pattern.compile("`([^`]+)`");

    static List<String> readmeProblems(String readme) {
        Set<String> scripts = new TreeSet<>(ALIASES.keySet());
        Set<String> aliases = new TreeSet<>();
        catalog().path("aliases").fieldNames().forEachRemaining(aliases::add);
        List<String> out = new ArrayList<>();
        Set<String> status = new TreeSet<>();
        String layoutScripts = null;
        String layoutCatalog = null;
        String section = "";
        for (String line : readme.split("\n")) {
            if (line.startsWith("## ")) section = line.substring(3).strip();
            if (!line.startsWith("| ")) continue;
            String first = line.split("\\|")[1];
            if (section.equals("Status")) {
                Matcher m = CODE.matcher(first);
                while (m.find()) if (m.group(1).endsWith(".java")) status.add(m.group(1));
            } else if (section.equals("Layout") && first.contains("`install.java`") && layoutScripts == null) {
                layoutScripts = first;
            } else if (section.equals("Layout") && first.contains("`jbang-catalog.json`")) {
                layoutCatalog = line.split("\\|")[2];
            }
        }
        for (String s : status) if (!scripts.contains(s)) out.add("Status names " + s + ", which is no script");
        for (String s : scripts) if (!status.contains(s)) out.add("Status does not name " + s);
        Set<String> inLayout = new TreeSet<>();
        Matcher m = CODE.matcher(layoutScripts == null ? "" : layoutScripts);
        while (m.find()) inLayout.add(m.group(1));
        for (String s : inLayout) if (!scripts.contains(s)) out.add("Layout's scripts row names " + s + ", which is no script");
        for (String s : scripts) if (!inLayout.contains(s)) out.add("Layout's scripts row does not name " + s);
        Set<String> named = new TreeSet<>();
        m = CODE.matcher(layoutCatalog == null ? "" : layoutCatalog.substring(0, Math.max(0, layoutCatalog.indexOf("):"))));
        while (m.find()) named.add(m.group(1));
        for (String a : named) if (!aliases.contains(a)) out.add("Layout's catalog row names " + a + ", which is no alias");
        for (String a : aliases) if (!named.contains(a)) out.add("Layout's catalog row does not name " + a);
        return out;
    }
}
