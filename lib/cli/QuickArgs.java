package lib.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's plainest command lines (what a systemd unit or timer passes, every few minutes) read without
 * picocli, whose model of a command built from its annotations is a large part of a cold timer run (see
 * docs/decisions/telemetry-cost.md).
 *
 * <p>Only the options a command lists in {@link BaseCommand#quickOptions()} (plus --verbose, --quiet, --json and
 * --config), each as {@code --name}, {@code --name VALUE} or {@code --name=VALUE}, each at most once unless
 * listed as repeatable. Anything else (no quick options, --help, a typo, a positional, a value that is empty or
 * starts with '-' (but "-" itself) or '@', a repeat, an option given under two of its names) and {@link #parse} returns false
 * without touching the command: the caller goes through picocli, which reads or refuses it as always.
 * QuickArgsTest holds every list to the command's {@code @Option}s and parses the same command lines both ways.
 */
public final class QuickArgs {
    /** The common options' spellings, as a command's {@link BaseCommand#quickOptions()} lists its own. */
    static final String[] COMMON = {"-v|--verbose", "-q|--quiet", "--json", "-c|--config="};

    private QuickArgs() {}

    private record Given(boolean common, String name, String value) {}

    /**
     * Reads {@code args} into {@code command} and returns true, or returns false having changed nothing.
     * A listed option is {@code "-o|--output=*"}: its names, '|' between them; '=' when it takes a value; '*'
     * after that when it may be given more than once. The command's {@link BaseCommand#quickSet} is called with
     * the LAST name of the list entry, whichever was typed.
     */
    static boolean parse(BaseCommand command, String[] args) {
        String[] own = command.quickOptions();
        if (own == null) return false;
        List<Given> given = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            String entry = find(own, name);
            boolean common = entry == null;
            if (common) entry = find(COMMON, name);
            if (entry == null) return false;
            boolean valued = entry.indexOf('=') > 0;
            String value = null;
            if (valued) {
                value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
                if (value == null
                        || value.isEmpty()
                        || (value.charAt(0) == '-' && !value.equals("-"))
                        || value.charAt(0) == '@') return false;
            } else if (eq > 0) {
                return false;
            }
            if (!entry.endsWith("*")) {
                if (seen.contains(entry)) return false;
                seen.add(entry);
            }
            given.add(new Given(common, canonical(entry), value));
        }
        for (Given g : given) {
            if (g.common()) {
                command.common.quickSet(g.name(), g.value());
            } else {
                command.quickSet(g.name(), g.value());
            }
        }
        return true;
    }

    /** The entry of {@code list} that has {@code name} among its names, or null. */
    static String find(String[] list, String name) {
        for (String entry : list) {
            int end = entry.indexOf('=');
            String names = end < 0 ? entry : entry.substring(0, end);
            for (int from = 0; from <= names.length(); ) {
                int bar = names.indexOf('|', from);
                int to = bar < 0 ? names.length() : bar;
                if (names.regionMatches(from, name, 0, name.length()) && to - from == name.length()) return entry;
                from = to + 1;
            }
        }
        return null;
    }

    /** The last name of an entry: "-o|--output=*" is "--output". */
    static String canonical(String entry) {
        int end = entry.indexOf('=');
        String names = end < 0 ? entry : entry.substring(0, end);
        return names.substring(names.lastIndexOf('|') + 1);
    }
}
