package lib.build;

import java.util.List;
import lib.cli.BaseCommand;
import lib.cli.DryRunOption;
import lib.cli.Version;
import lib.host.Arch;
import lib.proc.ProcessRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The command of build_amd.java and build_arm.java: each script is this class with its name, its first line of
 * --help and its platforms ({@link ImageBuild} does the work). The description paragraphs both scripts share are
 * the constants below, which each script's {@code @Command} lists after its own first line.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        footer = {
            "",
            "Exit codes: 0 ok, 1 build, smoke test, push or manifest failed, 2 usage or config error, "
                    + "3 host not ready (no buildx, no QEMU for a foreign platform: see --setup-qemu)."
        })
public abstract class BuildCommand extends BaseCommand {
    public static final String TAGS =
            "Tags: REGISTRY/IMAGE_NAME:VERSION-<arch> and :sha-<short>-<arch>. With --manifest, :VERSION and "
                    + ":sha-<short> become the multi-arch manifest list, verified in the registry.";
    public static final String LOGIN =
            "Registry login: REGISTRY_USERNAME with REGISTRY_PASSWORD_FILE (or REGISTRY_PASSWORD), given to "
                    + "docker login on standard input.";
    public static final String ACTIONS =
            "In GitHub Actions the step outputs go to GITHUB_OUTPUT and a table to GITHUB_STEP_SUMMARY.";

    @Mixin
    BuildOptions build = new BuildOptions();

    @Mixin
    DryRunOption dryRun = new DryRunOption();

    private final List<Arch> platforms;

    protected BuildCommand(Arch... platforms) {
        this.platforms = List.of(platforms);
    }

    /** The platforms this script builds. */
    public List<Arch> platforms() {
        return platforms;
    }

    @Override
    protected int run() {
        if (common.config != null) settings(); // an explicit --config is always read and checked
        return new ImageBuild(
                        new BuildPlanner(spec.name(), platforms, build, this::settings, env(), new ProcessRunner()))
                .main(dryRun.dryRun, common.json);
    }
}
