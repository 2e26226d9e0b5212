package lib.build;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import lib.plan.Step;
import lib.plan.Steps;
import lib.proc.ProcessFailedException;
import lib.proc.ProcessResult;

/**
 * What makes built images public, as build steps: the push of every per-architecture tag (all tags of one image
 * must get one registry digest), then the multi-arch manifest list made from the per-architecture tags and read
 * back from the registry, each of its tags verified to hold exactly the expected platforms and digests.
 */
final class Promotion {
    static final Duration REGISTRY_TIMEOUT = Duration.ofMinutes(5);
    static final Duration PUSH_TIMEOUT = Duration.ofMinutes(30);

    private final DockerCli cli;
    /** The platforms' digests the manifest list must hold, found by the manifest step for the verify steps. */
    private final Map<String, String> expected = new LinkedHashMap<>();

    private String manifestDigest;

    Promotion(DockerCli cli) {
        this.cli = cli;
    }

    /** One push step per tag of every platform; the report has the platform's digest and, after the last one, pushed. */
    void addPushes(Steps<BuildReport> steps, BuildPlan p) {
        for (Arch a : p.archs()) {
            for (String t : p.tags().archTags(a)) {
                steps.add(Step.of("push", ImageBuild.display(cli.push(t)), report -> {
                    BuildReport.PlatformResult r = report.platform(a);
                    String d = push(t);
                    if (r.digest != null && !r.digest.equals(d)) {
                        throw N0d3Exception.failure("tags of one image were pushed with different digests: "
                                + r.tags.get(0) + " " + r.digest + ", " + t + " " + d);
                    }
                    r.digest = d;
                    Log.ok("pushed " + t + " " + d);
                }));
            }
        }
        if (!p.archs().isEmpty()) steps.last().then(report -> report.pushed = true);
    }

    /** The manifest list step (imagetools create from the per-architecture tags), then one verify step per manifest tag. */
    void addManifest(Steps<BuildReport> steps, BuildPlan p) {
        List<String> sources =
                p.manifestArchs().stream().map(a -> p.tags().archRef(a)).toList();
        steps.add(Step.of(
                "manifest",
                ImageBuild.display(cli.imagetoolsCreate(p.tags().manifestTags(), sources)),
                report -> create(p, report, sources)));
        for (String t : p.tags().manifestTags()) {
            steps.add(Step.of(
                    "verify",
                    ImageBuild.display(cli.imagetoolsRaw(t)) + "   (exactly "
                            + String.join(
                                    ", ",
                                    p.manifestArchs().stream()
                                            .map(Arch::platform)
                                            .toList())
                            + ", each with the digest of its per-architecture tag)",
                    report -> verify(p, t)));
        }
        steps.last().then(report -> {
            report.manifestDigest = manifestDigest;
            report.manifestTags = p.tags().manifestTags();
            report.manifestPlatforms = expected;
            Log.ok("manifest list " + p.tags().manifestRef() + " " + manifestDigest + " holds exactly "
                    + String.join(", ", expected.keySet()));
        });
    }

    /** Pushes one tag; returns its registry digest. */
    String push(String t) {
        Log.info("push " + t);
        ProcessResult r;
        try {
            r = cli.run(cli.command(cli.push(t), PUSH_TIMEOUT).echo(true));
        } catch (ProcessFailedException e) {
            String out = e.result() == null
                    ? ""
                    : (e.result().stdout() + "\n" + e.result().stderr()).strip();
            String last = out.isEmpty()
                    ? e.getMessage()
                    : out.substring(out.lastIndexOf('\n') + 1).strip();
            boolean auth =
                    out.contains("no basic auth credentials") || out.contains("unauthorized") || out.contains("denied");
            throw N0d3Exception.failure("docker push " + t + " failed: " + last
                    + (auth
                            ? " (the registry wants credentials: set REGISTRY_USERNAME and REGISTRY_PASSWORD_FILE, or run docker login first)"
                            : ""));
        }
        return DockerCli.pushDigest(r.stdout())
                .orElseThrow(() -> N0d3Exception.failure(
                        "docker push " + t + " reported no digest: " + Buildx.firstLine(r.stdout())));
    }

    /** Reads what each per-architecture tag is in the registry now, then imagetools create from them. */
    private void create(BuildPlan p, BuildReport report, List<String> sources) {
        for (Arch a : p.manifestArchs()) {
            String ref = p.tags().archRef(a);
            // always what the registry serves now (a tag pushed as an index, as builders with attestations do, is
            // resolved to its image for the platform); a tag pushed by this run must still be what was pushed
            byte[] raw = rawOrMissing(ref, a);
            String pushed = report.platforms.stream()
                    .filter(r -> r.arch == a && r.digest != null)
                    .map(r -> r.digest)
                    .findFirst()
                    .orElse(null);
            if (pushed != null && !pushed.equals(ManifestList.sha256(raw))) {
                throw N0d3Exception.failure(ref + " in the registry is " + ManifestList.sha256(raw) + ", not " + pushed
                        + " as pushed a moment ago: did another build push the same tag?");
            }
            expected.put(a.platform(), platformDigest(ref, a, raw));
        }
        Log.info("manifest list " + String.join(", ", p.tags().manifestTags()) + " <- " + String.join(", ", sources));
        cli.run(cli.command(cli.imagetoolsCreate(p.tags().manifestTags(), sources), REGISTRY_TIMEOUT)
                .echo(Log.verbose()));
    }

    /** One manifest tag read back from the registry: exactly the expected platforms, the same digest as the other tags. */
    private void verify(BuildPlan p, String t) {
        ManifestList list = ManifestList.parse(t, raw(t));
        list.verify(t, expected);
        if (manifestDigest != null && !manifestDigest.equals(list.digest())) {
            throw N0d3Exception.failure("manifest tags differ: " + p.tags().manifestRef() + " is " + manifestDigest
                    + " but " + t + " is " + list.digest());
        }
        manifestDigest = list.digest();
    }

    /** A per-architecture tag as the registry serves it; exit 1 naming the script that pushes it when it is not there. */
    byte[] rawOrMissing(String ref, Arch a) {
        try {
            return raw(ref);
        } catch (ProcessFailedException e) {
            throw N0d3Exception.failure("cannot read " + ref + " from the registry: push it first (build_"
                    + (a == Arch.AMD64 ? "amd" : "arm") + ".java --push), or leave " + a.platform()
                    + " out with --manifest-platform: " + e.getMessage());
        }
    }

    /** The digest of the platform's image: the tag's own, or when the tag is an index, its entry for the platform. */
    static String platformDigest(String ref, Arch a, byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.contains("\"manifests\"")) {
            String d = ManifestList.parse(ref, raw).byPlatform().get(a.platform());
            if (d == null) throw N0d3Exception.failure(ref + " is an index without " + a.platform());
            return d;
        }
        return ManifestList.sha256(raw);
    }

    byte[] raw(String ref) {
        ProcessResult r;
        try {
            r = cli.run(cli.command(cli.imagetoolsRaw(ref), REGISTRY_TIMEOUT));
        } catch (ProcessFailedException e) {
            Buildx.requireBuildx(e);
            throw e;
        }
        return r.stdout().getBytes(StandardCharsets.UTF_8);
    }
}
