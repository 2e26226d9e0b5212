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

    /** The output captured so far (null on a timeout). */
    public ProcessResult result() {
        return result;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
