package lib.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import lib.config.Settings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every script's command: shared options, logging set up before the body runs, and the
 * settings (codex.yaml + environment) loaded once on first use. Bodies return an exit code or throw
 * {@link N0d3Exception}; {@link Cli#execute} turns both into the process's exit status.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Mixin
    public CommonOptions common = new CommonOptions();

    @Spec
    protected CommandSpec spec;

    private Settings settings;

    /** The environment the command reads; tests replace it. */
    protected Map<String, String> env = System.getenv();

    @Override
    public final Integer call() throws Exception {
        common.apply();
        return run();
    }

    protected abstract int run() throws Exception;

    /**
     * The options of this command that {@link QuickArgs} reads without picocli (beside the common ones), in its
     * notation ({@code "-o|--output=*"}); null (the default): every command line goes through picocli.
     */
    protected String[] quickOptions() {
        return null;
    }

    /** Sets one of {@link #quickOptions()}, named by its last name; {@code value} is null for a flag. */
    protected void quickSet(String name, String value) {
        throw new IllegalArgumentException("no quick options: " + name);
    }

    public BaseCommand withEnv(Map<String, String> newEnv) {
        this.env = newEnv;
        return this;
    }

    protected Map<String, String> env() {
        return env;
    }

    /** codex.yaml (from --config, ./codex.yaml, or the embedded default) with environment overrides. */
    protected Settings settings() {
        if (settings == null) {
            settings = Settings.load(common.config, env);
        }
        return settings;
    }
}
