package lib.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import lib.secret.Redactor;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Builds the picocli command line with the project's error handling and exit codes. */
public final class Cli {
    private Cli() {}

    /**
     * Runs the command; scripts call {@code System.exit(Cli.execute(new X(), args))}. A command line that
     * {@link QuickArgs} reads runs without picocli, with the same exit codes and error handling.
     */
    public static int execute(Object command, String... args) {
        if (command instanceof BaseCommand b && QuickArgs.parse(b, args)) {
            try {
                return b.call();
            } catch (Exception e) {
                return handle(e);
            }
        }
        return commandLine(command).execute(args);
    }

    /** picocli finds converters for java.sql and java.time types by reflection on every start (~8 ms of a timer
     * run); none is used here (a DURATION option names its converter, {@link PositiveDuration}). */
    static final String CONVERTER_EXCLUDES = "java\\.sql\\..*,java\\.time\\..*";

    public static CommandLine commandLine(Object command) {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", CONVERTER_EXCLUDES);
        }
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setColorScheme(Help.defaultColorScheme(Log.colorEnabled() ? Help.Ansi.AUTO : Help.Ansi.OFF));
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            // one line: the problem and where to look
            Log.error(Redactor.redact(message(ex)) + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> handle(ex));
        return cl;
    }

    static int handle(Exception ex) {
        if (ex instanceof N0d3Exception n) {
            Log.error(n.getMessage());
            if (Log.verbose()) Log.err().println(stackTrace(n));
            return n.exitCode();
        }
        Log.error(
                "unexpected " + ex.getClass().getSimpleName() + ": " + Redactor.redact(String.valueOf(ex.getMessage()))
                        + (Log.verbose() ? "" : " (run with --verbose for details)"));
        if (Log.verbose()) Log.err().println(stackTrace(ex));
        return ExitCode.FAILURE;
    }

    /**
     * picocli's refusal in the project's words: "--flag: what was expected" for a value a converter refused (as
     * picocli puts it: "Invalid value for option '--flag': ..."), and without the "Error: " that picocli puts before
     * some (exclusive options) when "error: " is printed anyway.
     */
    static String message(ParameterException ex) {
        if (ex.getCause() instanceof TypeConversionException t && ex.getArgSpec() instanceof OptionSpec o)
            return o.longestName() + ": " + t.getMessage();
        return firstLine(ex.getMessage()).replaceFirst("^Error: ", "");
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        return s.strip().lines().findFirst().orElse("");
    }

    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return Redactor.redact(sw.toString());
    }
}
