package lib.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lib.host.Arch;

/** One per-architecture {@code docker buildx build}: everything that goes on its command line. */
public record BuildSpec(
        String builder,
        Arch arch,
        Path context,
        Path dockerfile,
        Map<String, String> buildArgs,
        Map<String, String> labels,
        List<String> tags,
        List<String> cacheFrom,
        List<String> cacheTo,
        String network,
        boolean pull) {}
