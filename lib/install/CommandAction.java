package lib.install;

import lib.cli.Log;
import lib.plan.Step;
import lib.proc.Command;

/** Runs one program through {@link lib.proc.ProcessRunner}; the plan shows its exact command line. */
public final class CommandAction extends Step<InstallContext> {
    private final String kind;
    private final Command command;
    private final String why;

    private CommandAction(String kind, Command command, String why) {
        this.kind = kind;
        this.command = command;
        this.why = why;
    }

    /** A program run (package installs, sysctl, zerotier-cli ...). */
    public static CommandAction run(Command command, String why) {
        return new CommandAction("run", command, why);
    }

    /** A service manager action (systemctl, rc-service, rc-update). */
    public static CommandAction service(Command command, String why) {
        return new CommandAction("service", command, why);
    }

    public Command command() {
        return command;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public String summary() {
        return command.display() + (why == null || why.isEmpty() ? "" : "   # " + why);
    }

    @Override
    protected void perform(InstallContext ctx) {
        Log.debug("running " + command.display());
        ctx.runner().run(command);
    }
}
