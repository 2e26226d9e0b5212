package lib.docker;

import lib.cli.ExitCode;
import lib.cli.N0d3Exception;

/** The Engine API answered with an error status, or could not be reached (status -1). */
public class DockerApiException extends N0d3Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public DockerApiException(int status, String message) {
        super(ExitCode.FAILURE, message);
        this.status = status;
    }

    /** HTTP status, or -1 when the daemon could not be reached at all. */
    public int status() {
        return status;
    }

    public boolean unreachable() {
        return status == -1;
    }
}
