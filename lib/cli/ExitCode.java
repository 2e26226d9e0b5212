package lib.cli;

/** The exit codes every script uses; picocli's own codes are mapped onto these. */
public final class ExitCode {
    /** Success, including "nothing to change". */
    public static final int OK = 0;
    /** An operational failure: something we tried did not work (network, daemon, remote API). */
    public static final int FAILURE = 1;
    /** A usage or configuration error: bad flag, bad config file, missing input. Nothing was changed. */
    public static final int USAGE = 2;
    /** The host is in a state the script will not touch without being told to (for example another swarm). */
    public static final int UNEXPECTED_STATE = 3;

    private ExitCode() {}
}
