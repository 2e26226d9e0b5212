package lib.cli;

import lib.secret.Redactor;

/**
 * The one exception business code throws: it carries the exit code and a one-line message
 * meant for the operator. Messages are redacted when built, so a secret never reaches one.
 */
public class N0d3Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public N0d3Exception(int exitCode, String message) {
        super(Redactor.redact(message));
        this.exitCode = exitCode;
    }

    public N0d3Exception(int exitCode, String message, Throwable cause) {
        super(Redactor.redact(message), cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Exit 2: bad flag, bad config, missing input. */
    public static N0d3Exception usage(String message) {
        return new N0d3Exception(ExitCode.USAGE, message);
    }

    /** Exit 1: something we tried failed. */
    public static N0d3Exception failure(String message) {
        return new N0d3Exception(ExitCode.FAILURE, message);
    }

    public static N0d3Exception failure(String message, Throwable cause) {
        return new N0d3Exception(ExitCode.FAILURE, message, cause);
    }

    /** Exit 3: the host is in a state we refuse to change on our own. */
    public static N0d3Exception unexpectedState(String message) {
        return new N0d3Exception(ExitCode.UNEXPECTED_STATE, message);
    }
}
