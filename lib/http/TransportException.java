package lib.http;

import java.io.IOException;
import lib.secret.Redactor;

/** A call got no HTTP answer (connection refused, DNS, TLS, timeout). The message is redacted. */
public final class TransportException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final boolean timeout;

    /** {@code call}: "POST https://host/api/x"; {@code reason}: "connection refused". */
    TransportException(String call, String reason, boolean timeout, Throwable cause) {
        super(Redactor.redact(call + ": " + reason), cause);
        this.reason = Redactor.redact(reason);
        this.timeout = timeout;
    }

    /** What went wrong without the call: "connection refused", "no answer within 300 ms". */
    public String reason() {
        return reason;
    }

    public boolean timeout() {
        return timeout;
    }
}
