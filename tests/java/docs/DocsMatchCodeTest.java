package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import configs.Repo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.build.BuildCommand;
import lib.cli.Cli;
import lib.cli.Completion;
import lib.cli.ExitCode;
import lib.cli.Launcher;
import lib.host.Arch;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the documents say about the scripts, against the scripts themselves: every flag that a Markdown file
 * (README, SOPs, plan, workflow notes, ...), jbang-catalog.json or a script's own --help gives a script is one of
 * its options; the catalog describes each script with the verb its --help starts with; the platforms the catalog and
 * --help name for a build script are the ones it builds; README's
 * Status and Layout rows name exactly the scripts there are, and the catalog aliases there are; the exit codes the
 * documents list are {@link ExitCode}'s, with their meanings; a default the documents give a flag or a codex.yaml key is
 * the one the code (or the embedded codex.yaml) has. Each check is shown failing on a broken copy.
 */
class DocsMatchCodeTest {
    /** Script file name (install.java) → its alias (install). */
    static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        Launcher.SCRIPTS.forEach((alias, cls) -> ALIASES.put(cls + ".java", alias));
    }

    /** Flags a script's --help names that belong to another program, with that program. */
    static final Map<String, String> FOREIGN =
            Map.of("--tlsverify", "dockerd's (install's audit of the Engine API on TCP)");

    static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
    static final Pattern PLATFORM = Pattern.compile("linux/(?:amd64|arm64|arm/v7|arm/v6|386|riscv64|ppc64le|s390x)");

    /**
     * A script named in a document: its file (install.java, ./install.java, jbang install.java), its launcher name after
     * n0d3.jar, a catalog alias (jbang install@CATALOG), or the alias at the start of a command line as the SOPs write
     * them (swarm-join --check, $ telemetry --once; install only before a long flag: coreutils' install takes short ones).
     */
    static final Pattern SCRIPT;

    static {
        String files = String.join(
                "|",
                ALIASES.keySet().stream()
                        .map(f -> Pattern.quote(f.substring(0, f.length() - 5)))
                        .toList());
        String aliases =
                String.join("|", ALIASES.values().stream().map(Pattern::quote).toList());
        SCRIPT = Pattern.compile("(?<![\\w-])(" + files + ")\\.java(?![\\w-])"
                + "|n0d3\\.jar\\s+(" + aliases + ")(?![\\w.-])"
                + "|(?<![\\w/-])(" + aliases + ")@\\S+"
                + "|(?m)(?:^|`)[ \\t]*(?:\\$ |sudo )?(" + aliases + ")(?=[ \\t]+--)");
    }

    /** Where a command's arguments end: a pipe, a list operator, a comment, the end of a code span or of the line. */
    static final Pattern END = Pattern.compile("\\||;|&&|\\s#|`|\\n");

    static Map<String, CommandSpec> specs() throws ReflectiveOperationException {
        Map<String, CommandSpec> out = new LinkedHashMap<>();
        for (String alias : Launcher.SCRIPTS.keySet())
            out.put(alias, Cli.commandLine(Completion.command(alias)).getCommandSpec());
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
        String joined = text.replace(
                "\\\n", " \u2028"); // a shell line continued on the next (a line still, for the line numbers)
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
                    int line = 1
                            + (int) joined.substring(0, from)
                                    .chars()
                                    .filter(c -> c == '\n' || c == '\u2028')
                                    .count();
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
        assertEquals(
                List.of(
                        "x.md:1: install has no option --purge-all",
                        "x.md:4: swarm-join has no option --quorum-break",
                        "x.md:7: build-arm has no option --manifests"),
                unknownFlags("x.md", broken, specs));
    }

    /** The catalog's words for each alias, and each script's --help, name only the script's own flags. */
    @Test
    void theCatalogAndEachScriptsHelpNameOnlyItsOwnFlags() throws Exception {
        Map<String, CommandSpec> specs = specs();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : catalog().path("aliases").properties()) {
            String alias = e.getKey();
            problems.addAll(foreignFlags(
                    "jbang-catalog.json " + alias,
                    e.getValue().path("description").asText(),
                    specs.get(alias)));
        }
        for (Map.Entry<String, CommandSpec> e : specs.entrySet())
            problems.addAll(foreignFlags(e.getKey() + " --help", help(e.getValue()), e.getValue()));
        assertEquals(List.of(), problems);
        assertEquals(
                List.of("x --help: names --quorum-break, which it does not have"),
                foreignFlags(
                        "x --help",
                        "With --leave --force: --quorum-break leaves anyway; dockerd without --tlsverify",
                        specs.get("swarm-join")));
    }

    /** The catalog says what each script does with the verb its --help starts with (Turn / Turns this host ...). */
    @Test
    void theCatalogDescribesEachScriptWithTheVerbOfItsHelp() throws Exception {
        Map<String, CommandSpec> specs = specs();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : catalog().path("aliases").properties()) {
            CommandSpec spec = specs.get(e.getKey());
            if (spec == null) problems.add("jbang-catalog.json " + e.getKey() + ": no such script");
            else
                problems.addAll(verbProblems(
                        e.getKey(),
                        e.getValue().path("description").asText(),
                        spec.usageMessage().description()[0]));
        }
        assertEquals(List.of(), problems);
        assertEquals(
                List.of("x: the catalog says 'Upsert', --help 'Sets'"),
                verbProblems("x", "Upsert the variables.", "Sets the variables."));
        assertEquals(List.of(), verbProblems("x", "Enrol this host.", "Enrols this host, safely."));
    }

    static List<String> verbProblems(String alias, String catalog, String helpFirstLine) {
        String verb = catalog.split("[\\s,]+")[0];
        String third = helpFirstLine.split("[\\s,]+")[0];
        return third.equals(verb + "s") || third.equals(verb + "es")
                ? List.of()
                : List.of(alias + ": the catalog says '" + verb + "', --help '" + third + "'");
    }

    static List<String> foreignFlags(String where, String text, CommandSpec spec) {
        List<String> out = new ArrayList<>();
        Matcher f = FLAG.matcher(text);
        while (f.find()) {
            if (!has(spec, f.group()) && !FOREIGN.containsKey(f.group()))
                out.add(where + ": names " + f.group() + ", which it does not have");
        }
        return out.stream().distinct().toList();
    }

    static String help(CommandSpec spec) {
        StringBuilder sb =
                new StringBuilder(String.join("\n", spec.usageMessage().description())).append('\n');
        sb.append(String.join("\n", spec.usageMessage().footer())).append('\n');
        for (OptionSpec o : spec.options())
            sb.append(String.join(" ", o.description())).append('\n');
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
            Set<String> built =
                    new TreeSet<>(c.platforms().stream().map(Arch::platform).toList());
            String first = Cli.commandLine(c).getCommandSpec().usageMessage().description()[0];
            problems.addAll(platformProblems(
                    "jbang-catalog.json " + alias,
                    catalog().path("aliases").path(alias).path("description").asText(),
                    built));
            problems.addAll(platformProblems(alias + " --help", first, built));
        }
        assertEquals(List.of(), problems);
        assertEquals(
                List.of("x: names [linux/amd64, linux/arm64], builds [linux/arm/v7, linux/arm64]"),
                platformProblems("x", "Builds linux/arm64 and linux/amd64.", Set.of("linux/arm64", "linux/arm/v7")));
    }

    static List<String> platformProblems(String where, String text, Set<String> built) {
        Set<String> named = platforms(text);
        return named.equals(new TreeSet<>(built))
                ? List.of()
                : List.of(where + ": names " + named + ", builds " + new TreeSet<>(built));
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
                .replace(
                        "`build-arm`, `tfc-sync`): `jbang install",
                        "`build-arm`, `tfc-sync`, `destroy`): `jbang install");
        assertEquals(
                List.of(
                        "Status names build_x86.java, which is no script",
                        "Status does not name build_arm.java",
                        "Layout's scripts row does not name build_arm.java",
                        "Layout's catalog row names destroy, which is no alias"),
                readmeProblems(broken));
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
        for (String s : inLayout)
            if (!scripts.contains(s)) out.add("Layout's scripts row names " + s + ", which is no script");
        for (String s : scripts) if (!inLayout.contains(s)) out.add("Layout's scripts row does not name " + s);
        Set<String> named = new TreeSet<>();
        m = CODE.matcher(
                layoutCatalog == null ? "" : layoutCatalog.substring(0, Math.max(0, layoutCatalog.indexOf("):"))));
        while (m.find()) named.add(m.group(1));
        for (String a : named)
            if (!aliases.contains(a)) out.add("Layout's catalog row names " + a + ", which is no alias");
        for (String a : aliases) if (!named.contains(a)) out.add("Layout's catalog row does not name " + a);
        return out;
    }

    // ---- exit codes ----------------------------------------------------------------------------------------

    /** A word each document's meaning of a code holds, per {@link ExitCode} constant (a new constant fails until it has one). */
    static final Map<String, String> EXIT_WORD =
            Map.of("OK", "ok", "FAILURE", "fail", "USAGE", "usage", "UNEXPECTED_STATE", "state");

    /** Documents whose "Exit codes:" paragraph is about something other than the scripts. */
    static final Set<String> NOT_THE_SCRIPTS = Set.of("tests/lab/README.md");

    /** ExitCode's constants: value → name. */
    static Map<Integer, String> exitCodes() throws IllegalAccessException {
        Map<Integer, String> out = new TreeMap<>();
        for (Field f : ExitCode.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) out.put(f.getInt(null), f.getName());
        }
        return out;
    }

    static final Pattern CODE_AND_MEANING = Pattern.compile("(?:^|[,;]\\s+)(\\d+)\\s+(.+?)(?=[,;]\\s+\\d+\\s|$)");

    /** The codes of an "Exit codes:" paragraph (or of README's section), code → meaning (to its first parenthesis or full stop). */
    static Map<Integer, String> codesIn(String paragraph) {
        Map<Integer, String> out = new TreeMap<>();
        Matcher m = CODE_AND_MEANING.matcher(
                paragraph.replace("`", "").replaceAll("\\s+", " ").strip());
        while (m.find())
            out.put(
                    Integer.valueOf(m.group(1)),
                    m.group(2).replaceFirst("(\\.\\s| \\().*", "").strip());
        return out;
    }

    /** Each "Exit codes: ..." paragraph of a document, from its first code to the paragraph's end. */
    static List<String> exitCodeParagraphs(String text) {
        List<String> out = new ArrayList<>();
        for (String para : text.split("\n\\s*\n")) {
            int at = para.indexOf("Exit codes: ");
            if (at >= 0) out.add(para.substring(at + "Exit codes: ".length()));
        }
        return out;
    }

    /** Problems of a list of codes: each is an ExitCode, all are there, and (with words) each meaning holds its word. */
    static List<String> exitCodeProblems(String where, Map<Integer, String> documented, boolean words)
            throws IllegalAccessException {
        Map<Integer, String> codes = exitCodes();
        List<String> out = new ArrayList<>();
        documented.forEach((code, meaning) -> {
            String name = codes.get(code);
            if (name == null) out.add(where + ": exit " + code + " is no ExitCode");
            else if (words && !meaning.toLowerCase(Locale.ROOT).contains(EXIT_WORD.get(name))) {
                out.add(where + ": exit " + code + " is ExitCode." + name + ", not '" + meaning + "'");
            }
        });
        for (Integer code : codes.keySet())
            if (!documented.containsKey(code)) out.add(where + ": does not list exit " + code);
        return out;
    }

    /** Every statement of "every script"'s codes (README, SOP-005, the constitution, SOP-001's) with meanings, and every other list. */
    static List<String> allExitCodeProblems(Map<String, String> documents) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> d : documents.entrySet()) {
            String file = d.getKey();
            if (NOT_THE_SCRIPTS.contains(file)) continue;
            boolean general = !file.equals("infra/README.md"); // tfc_sync's own list says what each code means for it
            for (String p : exitCodeParagraphs(d.getValue())) out.addAll(exitCodeProblems(file, codesIn(p), general));
            String section = section(d.getValue(), "Exit codes");
            if (section == null) continue;
            Map<Integer, String> table = new TreeMap<>();
            Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| ([^|]+)\\|").matcher(section);
            while (row.find())
                table.put(Integer.valueOf(row.group(1)), row.group(2).strip());
            if (!table.isEmpty()) out.addAll(exitCodeProblems(file + " (Exit codes table)", table, true));
            else
                out.addAll(exitCodeProblems(
                        file + " (Exit codes)",
                        codesIn(section.split("\n\\s*\n")[0].replaceFirst("^[^`0-9]*", "")),
                        true));
        }
        return out;
    }

    /** The text under a "## " heading up to the next one, or null. */
    static String section(String markdown, String heading) {
        Matcher m =
                Pattern.compile("(?m)^## " + Pattern.quote(heading) + "\\s*\n").matcher(markdown);
        if (!m.find()) return null;
        int end = markdown.indexOf("\n## ", m.end());
        return markdown.substring(m.end(), end < 0 ? markdown.length() : end).strip();
    }

    static Map<String, String> documentTexts() {
        Map<String, String> out = new TreeMap<>();
        for (Path p : documents()) out.put(Repo.basedir().relativize(p).toString(), Repo.read(p));
        return out;
    }

    @Test
    void theExitCodesTheDocumentsListAreExitCodesOnes() throws Exception {
        Map<String, String> docs = documentTexts();
        assertTrue(
                docs.containsKey("README.md") && section(docs.get("README.md"), "Exit codes") != null,
                "README has an Exit codes section");
        assertEquals(List.of(), allExitCodeProblems(docs));
    }

    @Test
    void aWrongOrMissingExitCodeIsFound() throws Exception {
        Map<String, String> broken = new TreeMap<>();
        broken.put(
                "README.md",
                "## Exit codes\n\nEvery script: `0` ok, `1` operational failure, `2` unexpected host state, `4` usage error.\n\n## Next\n");
        broken.put(
                "SOP.md",
                "## Exit codes\n\n| Code | Meaning |\n| --- | --- |\n| 0 | ok |\n| 1 | usage error |\n| 2 | usage |\n| 3 | state |\n");
        broken.put(
                "infra/README.md",
                "Exit codes: 0 done; 1 API unreachable, still rate limited after 5 retries; 2 bad flag;\n5 a sensitive variable.\n");
        broken.put("tests/lab/README.md", "Exit codes: 0 ok, 7 anything.\n");
        assertEquals(
                List.of(
                        "README.md (Exit codes): exit 2 is ExitCode.USAGE, not 'unexpected host state'",
                        "README.md (Exit codes): exit 4 is no ExitCode",
                        "README.md (Exit codes): does not list exit 3",
                        "SOP.md (Exit codes table): exit 1 is ExitCode.FAILURE, not 'usage error'",
                        "infra/README.md: exit 5 is no ExitCode",
                        "infra/README.md: does not list exit 3"),
                allExitCodeProblems(broken));
        assertEquals(
                exitCodes().values().stream().sorted().toList(),
                EXIT_WORD.keySet().stream().sorted().toList(),
                "a word for every ExitCode");
    }

    // ---- defaults ------------------------------------------------------------------------------------------

    /** A table row about a flag or key (its first cell's first code span) that gives a default in a code span: "(default `V`" or "; default `V`". */
    static final Pattern ROW_DEFAULT =
            Pattern.compile("(?m)^\\|\\s*`([^`]+)`[^|\\n]*\\|.*?(?:\\(|; )default:? `([^`]+)`");

    /** "the default `--flag VALUE`" in running text. */
    static final Pattern INLINE_DEFAULT = Pattern.compile("default `(--[a-z][a-z0-9-]*)[ =]([^`]+)`");

    /**
     * A flag's fixed default in a script: picocli's default value, else the field's initial value when it is one value
     * (not a switch, not a list); null when it has none (its default comes from the environment, codex.yaml or the host).
     */
    static String fixedDefault(OptionSpec o) {
        if (o.defaultValue() != null) return o.defaultValue();
        Object v = o.initialValue();
        if (v == null || v instanceof Boolean || v instanceof Collection<?>) return null;
        return v.toString();
    }

    /** Problems of one default a document gives: a flag (checked against every script that has it) or a codex.yaml key. */
    static List<String> defaultProblems(
            String where, String name, String value, Map<String, CommandSpec> specs, JsonNode codex) {
        if (name.startsWith("-")) {
            String flag = name.split("[ =]")[0];
            List<String> fixed = new ArrayList<>();
            boolean some = false;
            for (Map.Entry<String, CommandSpec> e : specs.entrySet()) {
                OptionSpec o = e.getValue().findOption(flag);
                if (o == null) continue;
                some = true;
                String d = fixedDefault(o);
                if (d == null || d.equals(value)) return List.of(); // one script has it so, or has no fixed default
                fixed.add(e.getKey() + ": " + d);
            }
            return some ? List.of(where + ": " + flag + " default `" + value + "`, the code has " + fixed) : List.of();
        }
        if (!name.matches("[a-z_]+(\\.[a-z_]+)+")) return List.of();
        JsonNode n = codex.at("/" + name.replace('.', '/'));
        if (n.isMissingNode() || n.isContainerNode())
            return List.of(); // a default the code keeps (or no leaf): not the file's
        return n.asText().equals(value)
                ? List.of()
                : List.of(where + ": " + name + " default `" + value + "`, codex.yaml has `" + n.asText() + "`");
    }

    static List<String> allDefaultProblems(
            Map<String, String> documents, Map<String, CommandSpec> specs, JsonNode codex) {
        List<String> out = new ArrayList<>();
        documents.forEach((file, text) -> {
            for (Pattern p : List.of(ROW_DEFAULT, INLINE_DEFAULT)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    int line = 1
                            + (int) text.substring(0, m.start())
                                    .chars()
                                    .filter(c -> c == '\n')
                                    .count();
                    out.addAll(defaultProblems(file + ":" + line, m.group(1), m.group(2), specs, codex));
                }
            }
        });
        return out;
    }

    static JsonNode codexYaml() {
        return Repo.yaml(Repo.file("codex.yaml"));
    }

    @Test
    void theDefaultsTheDocumentsGiveAreTheCodes() throws Exception {
        Map<String, String> docs = documentTexts();
        Map<String, CommandSpec> specs = specs();
        int seen = 0;
        for (String text : docs.values()) {
            seen += (int) ROW_DEFAULT.matcher(text).results().count()
                    + (int) INLINE_DEFAULT.matcher(text).results().count();
        }
        assertTrue(seen >= 8, "defaults seen in the documents: " + seen);
        assertEquals(List.of(), allDefaultProblems(docs, specs, codexYaml()));
    }

    @Test
    void aWrongDefaultIsFound() throws Exception {
        String broken = "| `--binfmt-dir` | where binfmt_misc is mounted (default `/sys/fs/binfmt_misc`) |\n"
                + "| `--smoke-timeout 5m` | a bound (default `5m`) |\n"
                + "| `--interval` | telemetry's has no fixed default (default `capabilities.telemetry.interval`) |\n"
                + "bound beyond (the default `--listen-addr 0.0.0.0:2376` binds every address)\n"
                + "| `install.docker.log_max_size` | | daemon.json `log-opts.max-size` (default `100m`). |\n"
                + "| `install.registration.attempts` | | Tries; default `5`. |\n"
                + "| `install.registration.backoff` | | First wait (json-file; default `3s`). |\n";
        assertEquals(
                List.of(
                        "x.md:1: --binfmt-dir default `/sys/fs/binfmt_misc`, the code has [build-amd: /proc/sys/fs/binfmt_misc, build-arm: /proc/sys/fs/binfmt_misc]",
                        "x.md:5: install.docker.log_max_size default `100m`, codex.yaml has `10m`",
                        "x.md:7: install.registration.backoff default `3s`, codex.yaml has `2s`",
                        "x.md:4: --listen-addr default `0.0.0.0:2376`, the code has [swarm-join: 0.0.0.0:2377]"),
                allDefaultProblems(Map.of("x.md", broken), specs(), codexYaml()));
    }
}
