///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.8
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.21.8
//DEPS com.networknt:json-schema-validator:1.5.9
//DEPS org.slf4j:slf4j-api:2.0.20
//DEPS org.slf4j:slf4j-nop:2.0.20
//SOURCES lib/cli/BaseCommand.java
//SOURCES lib/cli/Cli.java
//SOURCES lib/cli/QuickArgs.java
//SOURCES lib/cli/CommonOptions.java
//SOURCES lib/cli/DryRunOption.java
//SOURCES lib/cli/ExitCode.java
//SOURCES lib/cli/Log.java
//SOURCES lib/cli/N0d3Exception.java
//SOURCES lib/cli/Version.java
//SOURCES lib/secret/Redactor.java
//SOURCES lib/secret/Secret.java
//SOURCES lib/secret/SecretSource.java
//SOURCES lib/config/Codex.java
//SOURCES lib/config/CodexCache.java
//SOURCES lib/config/Resources.java
//SOURCES lib/config/CodexLoader.java
//SOURCES lib/config/SchemaHints.java
//SOURCES lib/config/Settings.java
//SOURCES lib/host/HostName.java
//SOURCES lib/config/Units.java
//SOURCES lib/proc/Command.java
//SOURCES lib/proc/ProcessFailedException.java
//SOURCES lib/proc/ProcessResult.java
//SOURCES lib/proc/ProcessRunner.java
//SOURCES lib/docker/DockerApiException.java
//SOURCES lib/docker/DockerClient.java
//SOURCES lib/docker/DockerHost.java
//SOURCES lib/docker/EngineHttp.java
//SOURCES lib/json/Json.java
//SOURCES lib/host/Arch.java
//SOURCES lib/build/Binfmt.java
//SOURCES lib/build/BinfmtSetup.java
//SOURCES lib/build/BuildOptions.java
//SOURCES lib/build/BuildReport.java
//SOURCES lib/build/BuildSpec.java
//SOURCES lib/build/DockerCli.java
//SOURCES lib/build/GithubOutputs.java
//SOURCES lib/build/ImageBuild.java
//SOURCES lib/build/ImageTags.java
//SOURCES lib/build/ManifestList.java
//SOURCES lib/build/OciLabels.java
//SOURCES lib/build/Platforms.java
//SOURCES lib/build/RegistryCredentials.java
//SOURCES lib/build/SmokeTest.java
//FILES codex.yaml
//FILES schemas/codex.schema.json=schemas/codex.schema.json

import java.util.List;
import lib.build.BuildOptions;
import lib.build.ImageBuild;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.DryRunOption;
import lib.cli.Version;
import lib.host.Arch;
import lib.proc.ProcessRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "build_amd.java", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {
            "Builds the node image for linux/amd64, smoke-tests it, and with --push / --manifest publishes it.",
            "",
            "Tags: REGISTRY/IMAGE_NAME:VERSION-<arch> and :sha-<short>-<arch>. With --manifest, :VERSION and :sha-<short> become the multi-arch manifest list, verified in the registry.",
            "",
            "Registry login: REGISTRY_USERNAME with REGISTRY_PASSWORD_FILE (or REGISTRY_PASSWORD), given to docker login on standard input.",
            "",
            "In GitHub Actions the step outputs go to GITHUB_OUTPUT and a table to GITHUB_STEP_SUMMARY.",
            ""
        },
        footer = {"", "Exit codes: 0 ok, 1 build, smoke test, push or manifest failed, 2 usage or config error, "
            + "3 host not ready (no buildx, no QEMU for a foreign platform: see --setup-qemu)."})
public class build_amd extends BaseCommand {
    static final List<Arch> PLATFORMS = List.of(Arch.AMD64);

    @Mixin
    BuildOptions build = new BuildOptions();

    @Mixin
    DryRunOption dryRun = new DryRunOption();

    public static void main(String[] args) {
        System.exit(Cli.execute(new build_amd(), args));
    }

    @Override
    protected int run() {
        if (common.config != null) settings(); // an explicit --config is always read and checked
        return new ImageBuild("build_amd.java", PLATFORMS, build, this::settings, env(), new ProcessRunner()).main(dryRun.dryRun, common.json);
    }
}
