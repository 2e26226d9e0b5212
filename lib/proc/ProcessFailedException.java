package lib.proc;

import lib.cli.ExitCode;
import lib.cli.N0d3Exception;

/** A command exited non-zero or timed out. The message holds the redacted command line and stderr tail. */
public class ProcessFailedException extends N0d3Exception {
    private static final long serialVersionUID = 1L;
    private final transient ProcessResult result;
    private final boolean timedOut;

    public ProcessFailedException(String message, ProcessResult result, boolean timedOut) {
        super(ExitCode.FAILURE, message);
        this.result = result;
        this.timedOut = timedOut;
    }

    static ProcessFailedException cannotStart(Command cmd, java.io.IOException e) {
        return new ProcessFailedException(
                "cannot start " + cmd.display() + ": " + ProcessRunner.firstLine(e.getMessage()), null, false);
    }

    /** {@code tail}: the stderr tail the message ends with ("" for none). */
    static ProcessFailedException timedOut(Command cmd, String tail) {
        return new ProcessFailedException(
                cmd.display() + " timed out after " + ProcessRunner.human(cmd.timeout)
                        + " and was killed with its children" + tail,
                null,
                true);
    }

    static ProcessFailedException exited(Command cmd, ProcessResult r) {
        return new ProcessFailedException(
                cmd.display() + " exited with " + r.exitCode()
                        + ProcessRunner.tail(r.stderr().isBlank() ? r.stdout() : r.stderr()),
                r,
                false);
    }

    static ProcessFailedException failed(Command cmd, java.util.concurrent.ExecutionException e) {
        return new ProcessFailedException(
                cmd.display() + " failed: "
                        + ProcessRunner.firstLine(String.valueOf(
                                e.getCause() == null
                                        ? e
                                        : e.getCause().getClass().getSimpleName())),
                null,
                false);
    }

    /** The output captured so far (null on a timeout). */
    public ProcessResult result() {
        return result;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
