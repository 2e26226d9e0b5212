///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
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
//SOURCES lib/json/Json.java
//SOURCES lib/http/Endpoint.java
//SOURCES lib/http/HttpTransport.java
//SOURCES lib/http/PatchSender.java
//SOURCES lib/http/Response.java
//SOURCES lib/http/Retry.java
//SOURCES lib/http/RetryPolicy.java
//SOURCES lib/http/TransportException.java
//SOURCES lib/tfc/TfcClient.java
//SOURCES lib/tfc/TfcRun.java
//SOURCES lib/tfc/TfcSync.java
//SOURCES lib/tfc/TfcVariable.java
//SOURCES lib/tfc/TfcWorkspace.java
//SOURCES lib/tfc/VarChange.java
//FILES codex.yaml
//FILES schemas/codex.schema.json=schemas/codex.schema.json

import java.nio.file.Path;
import java.util.Map;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.DryRunOption;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.cli.Version;
import lib.config.Settings;
import lib.secret.Secret;
import lib.secret.SecretSource;
import lib.tfc.TfcClient;
import lib.tfc.TfcSync;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "tfc_sync.java",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Sets the Terraform Cloud workspace's variables (node_version from codex.yaml, commit_sha, environment) and queues a run with auto-apply off, so that a person confirms the apply.",
            "",
            "The API token comes from --token-file, TFC_TOKEN_FILE or TFC_TOKEN (never a flag value) and is never printed."
        },
        footer = {
            "",
            "Exit codes: 0 ok (also: nothing to change), 1 operational failure (API unreachable, rate limited), "
                    + "2 usage or config error (bad flag, token rejected, workspace not found), 3 unexpected workspace state."
        })
public class tfc_sync extends BaseCommand {
    @Mixin
    DryRunOption dryRun = new DryRunOption();

    @Option(names = "--org", paramLabel = "NAME", description = "Organisation (default: TF_CLOUD_ORGANIZATION).")
    String org;

    @Option(names = "--workspace", paramLabel = "NAME", description = "Workspace name (default: TF_WORKSPACE).")
    String workspace;

    @Option(
            names = "--environment",
            paramLabel = "ENV",
            required = true,
            description = "Delivery stage the workspace serves: dev, test, stage or prod.")
    String environment;

    @Option(
            names = "--sha",
            paramLabel = "COMMIT",
            description = "Commit the release was built from (default: GITHUB_SHA).")
    String sha;

    @Option(
            names = "--api-url",
            paramLabel = "URL",
            description =
                    "API site (default: https://TF_CLOUD_HOSTNAME when set, else " + TfcClient.DEFAULT_API_URL + ").")
    String apiUrl;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the API token (else TFC_TOKEN_FILE, else TFC_TOKEN).")
    Path tokenFile;

    /** Whether a run is queued, when not only on a change: one of the two. */
    static class Runs {
        @Option(names = "--force-run", description = "Queue a run even when no variable changed.")
        boolean force;

        @Option(names = "--no-run", description = "Only set the variables; queue no run.")
        boolean none;
    }

    @ArgGroup(exclusive = true)
    Runs runs = new Runs();

    public static void main(String[] args) {
        System.exit(Cli.execute(new tfc_sync(), args));
    }

    @Override
    protected int run() {
        Map<String, String> env = env();
        String organization = name(org, "--org", "TF_CLOUD_ORGANIZATION");
        String ws = name(workspace, "--workspace", "TF_WORKSPACE");
        String commit = Settings.pick(sha, "--sha", env, "GITHUB_SHA", new Settings.Value<>(null, "--sha"))
                .value();
        String nodeVersion = settings().codex().metadata().version();
        Map<String, String> desired = TfcSync.desired(nodeVersion, commit, environment);
        Settings.Value<String> host = Settings.pick(
                apiUrl,
                "--api-url",
                env,
                "TF_CLOUD_HOSTNAME",
                new Settings.Value<>(TfcClient.DEFAULT_API_URL, "default"));
        String site = host.from().equals("TF_CLOUD_HOSTNAME") ? "https://" + host.value() : host.value();
        Secret token = tokenFile != null
                ? SecretSource.fromFile(tokenFile, "--token-file")
                : SecretSource.resolve("TFC_TOKEN", null, env)
                        .orElseThrow(() -> N0d3Exception.usage(
                                "no API token found; set TFC_TOKEN_FILE or TFC_TOKEN, or give --token-file"));
        TfcClient client = new TfcClient(site, token);
        TfcSync.RunPolicy policy =
                runs.none ? TfcSync.RunPolicy.NEVER : runs.force ? TfcSync.RunPolicy.ALWAYS : TfcSync.RunPolicy.AUTO;
        String message = "tfc_sync.java: " + environment + " " + desired.get("node_version") + " at "
                + desired.get("commit_sha");
        TfcSync.Result result = new TfcSync(client).sync(organization, ws, desired, dryRun.dryRun, policy, message);
        Log.result(common.json ? result.toJson() : result.toText());
        return 0;
    }

    /** --org or --workspace, else its variable: required, and letters, digits, '-', '_' or '.'. */
    private String name(String given, String flag, String variable) {
        Settings.Value<String> v = Settings.pick(given, flag, env(), variable, new Settings.Value<>(null, flag));
        if (v.value() == null || v.value().isBlank())
            throw N0d3Exception.usage(flag + ": required (or set " + variable + ")");
        if (!v.value().strip().matches("[A-Za-z0-9_.-]+")) {
            throw N0d3Exception.usage(
                    v.from() + ": expected letters, digits, '-', '_' or '.', got '" + v.value() + "'");
        }
        return v.value().strip();
    }
}
