package lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lib.docker.DockerClient;
import lib.docker.DockerHost;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;

/** Node k of a running lab: its own network namespace, hostname {@code node<k>}, address and dockerd. */
public final class LabNode {
    private final Lab lab;
    private final int index;
    private final String ip;
    private final String hostname;
    private final String namespace;
    private final Path socket;

    LabNode(Lab lab, int index, String ip, String hostname, String namespace, Path socket) {
        this.lab = lab;
        this.index = index;
        this.ip = ip;
        this.hostname = hostname;
        this.namespace = namespace;
        this.socket = socket;
    }

    /** 1-based. */
    public int index() {
        return index;
    }

    /** 10.213.&lt;ID&gt;.(10+k): the node's only non-loopback address, inside its namespace. */
    public String ip() {
        return ip;
    }

    /** node&lt;k&gt;, the hostname its dockerd (and {@link #exec}) sees. */
    public String hostname() {
        return hostname;
    }

    /** The network namespace name (ip netns), n0d3-&lt;ID&gt;-&lt;k&gt;. */
    public String namespace() {
        return namespace;
    }

    /** The node daemon's unix socket. */
    public Path socket() {
        return socket;
    }

    /** DOCKER_HOST value for this node: unix://... */
    public String dockerHost() {
        return "unix://" + socket;
    }

    /** The project's own Engine API client, talking to this node's daemon. */
    public DockerClient docker() {
        return new DockerClient(DockerHost.unix(socket));
    }

    /**
     * A {@link Command} that runs {@code cmd} inside this node's network and uts namespaces with
     * DOCKER_HOST set to this node's daemon (through {@code lab.sh exec}); add env, stdin (secrets),
     * a timeout, then run it with {@link ProcessRunner}.
     */
    public Command command(List<String> cmd) {
        List<String> argv = new ArrayList<>(List.of(
                "bash",
                lab.script().toString(),
                "exec",
                "--id",
                Integer.toString(lab.id()),
                "--node",
                Integer.toString(index),
                "--"));
        argv.addAll(cmd);
        return Command.of(argv);
    }

    /** Runs {@code cmd} in the node (see {@link #command}) and returns its exit code and output, whatever the exit code. */
    public ProcessResult exec(List<String> cmd, Duration timeout) {
        return new ProcessRunner().runAnyExit(command(cmd).timeout(timeout));
    }

    @Override
    public String toString() {
        return "lab " + lab.id() + " " + hostname + " (" + ip + ", netns " + namespace + ")";
    }
}
