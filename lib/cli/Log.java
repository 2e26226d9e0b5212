package lib.cli;

import java.io.Console;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import lib.secret.Redactor;

/**
 * Operator-facing output. Progress and diagnostics go to stderr so stdout stays clean for
 * results and --json. Every line passes through the {@link Redactor}. Colour only on a terminal
 * and never when NO_COLOR is set (https://no-color.org).
 */
public final class Log {
    public enum Level {
        QUIET,
        NORMAL,
        VERBOSE
    }

    private static volatile Level level = Level.NORMAL;
    private static volatile boolean color = detectColor(System.getenv(), onTerminal());
    private static volatile PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    private static volatile PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private Log() {}

    /**
     * Whether standard input and output are a terminal. Up to JDK 21 {@code System.console()} is null otherwise;
     * from JDK 22 on it is never null and {@code Console.isTerminal()} (JDK 22) tells, called reflectively since
     * the code is built for 17.
     */
    @SuppressWarnings("SystemConsoleNull") // the null test is the JDK 17-21 answer; isTerminal() covers 22 on
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Colour only on a terminal, never with NO_COLOR set to a non-empty value (no-color.org) or TERM=dumb. */
    static boolean detectColor(java.util.Map<String, String> env, boolean terminal) {
        String noColor = env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) return false;
        if ("dumb".equals(env.get("TERM"))) return false;
        return terminal;
    }

    public static void configure(Level newLevel) {
        level = newLevel;
    }

    public static Level level() {
        return level;
    }

    public static boolean verbose() {
        return level == Level.VERBOSE;
    }

    public static boolean colorEnabled() {
        return color;
    }

    /** For tests: capture both streams. */
    public static void redirect(PrintStream newOut, PrintStream newErr) {
        out = newOut;
        err = newErr;
    }

    public static void reset() {
        out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        level = Level.NORMAL;
        color = detectColor(System.getenv(), onTerminal());
    }

    public static void setColor(boolean enabled) {
        color = enabled;
    }

    /** A step or fact the operator should see (hidden by --quiet). */
    public static void info(String msg) {
        if (level != Level.QUIET) err.println(Redactor.redact(msg));
    }

    /** Detail shown with --verbose only. */
    public static void debug(String msg) {
        if (level == Level.VERBOSE) err.println(paint("2", "debug: " + Redactor.redact(msg)));
    }

    /** Always shown, even with --quiet. */
    public static void warn(String msg) {
        err.println(paint("33", "warning: " + Redactor.redact(msg)));
    }

    /** Always shown. */
    public static void error(String msg) {
        err.println(paint("31", "error: " + Redactor.redact(msg)));
    }

    /** A successful outcome line ("ok: ..."), hidden by --quiet. */
    public static void ok(String msg) {
        if (level != Level.QUIET) err.println(paint("32", "ok: ") + Redactor.redact(msg));
    }

    /** Results (plain text or JSON) on stdout; never hidden, always redacted. */
    public static void result(String text) {
        out.println(Redactor.redact(text));
        out.flush();
    }

    /**
     * A result that is UTF-8 bytes already (a JSON document): written as it is when the {@link Redactor} finds
     * nothing to mask in it, else redacted as text.
     */
    public static void result(byte[] utf8) {
        if (Redactor.nothingIn(utf8)) {
            out.write(utf8, 0, utf8.length);
            out.println();
        } else {
            out.println(Redactor.redact(new String(utf8, StandardCharsets.UTF_8)));
        }
        out.flush();
    }

    public static PrintStream err() {
        return err;
    }

    static String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
