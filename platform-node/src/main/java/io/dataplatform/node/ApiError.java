package io.dataplatform.node;

/**
 * An error the node answers on purpose: an HTTP status, a short code ({@code invalid_frames}) and
 * a detail naming the problem. Raised by request parsing and validation on the event loop; turned
 * into a JSON answer by {@link ErrorResponses}.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String retryAfterSeconds;

    ApiError(int status, String code, String detail) {
        this(status, code, detail, null);
    }

    ApiError(int status, String code, String detail, String retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiError badRequest(String code, String detail) {
        return new ApiError(400, code, detail);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return getMessage();
    }

    /** Seconds for a Retry-After header, or null. */
    String retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
