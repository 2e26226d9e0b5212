package lib.install;

import java.util.function.Consumer;

/** An action that is neither a file nor a plain command: a wait, an API request, a background start. */
public final class StepAction extends Action {
    private final String kind;
    private final String summary;
    private final Consumer<InstallContext> body;

    public StepAction(String kind, String summary, Consumer<InstallContext> body) {
        this.kind = kind;
        this.summary = summary;
        this.body = body;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    protected void perform(InstallContext ctx) {
        body.accept(ctx);
    }
}
