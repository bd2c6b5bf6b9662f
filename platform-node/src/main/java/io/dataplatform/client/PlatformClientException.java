package io.dataplatform.client;

/**
 * A request the node refused or could not serve: the HTTP status, the node's error code
 * ({@code invalid_store_id}, {@code queue_full}, ...) and its detail. Status 0 means no answer
 * came: the node could not be reached ({@code unreachable}) or did not answer within the
 * client's request timeout ({@code timeout}).
 */
public final class PlatformClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String detail;

    public PlatformClientException(int status, String error, String detail, Throwable cause) {
        super((status == 0 ? "node unreachable" : "HTTP " + status) + " " + error + ": " + detail, cause);
        this.status = status;
        this.error = error;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    /** The node's short error code. */
    public String error() {
        return error;
    }

    /** The node's message naming the problem. */
    public String detail() {
        return detail;
    }
}
