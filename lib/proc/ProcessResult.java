package lib.proc;

/** A finished process: exit code and its output, decoded as UTF-8. */
public record ProcessResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
