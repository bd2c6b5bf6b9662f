package io.dataplatform.projections.worker;

/**
 * An error the worker answers on purpose: an HTTP status, a short code ({@code projection_not_found})
 * and a detail naming the problem; the REST layer turns it into {@code {"error": ..., "detail": ...}}.
 */
public final class WorkerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public WorkerException(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    static WorkerException notFound(String name) {
        return new WorkerException(404, "projection_not_found", "no projection named '" + name + "'");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
