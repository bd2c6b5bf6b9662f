package io.dataplatform.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One plain HTTP/1.1 keep-alive connection to a node, for the client's two hot paths: batch
 * appends and record reads. A request is written straight from the caller's array (a batch's
 * frames) and an answer's body is read straight into the caller's array (a reader's answer
 * buffer): no per-request buffers, no copies beyond the socket's own. The JDK's
 * {@code HttpClient} copies each request body into new heap buffers and delivers each answer in
 * new ones; at hundreds of thousands of events a second that allocation was the client's largest
 * cost.
 *
 * <p>Speaks only what the node answers on these routes: a status line, headers and a body of
 * {@code Content-Length} bytes (no chunked answers, no TLS: a client of an {@code https} node
 * uses the JDK client). An I/O failure or an answer it cannot parse closes the connection; the
 * next request opens a new one. Not thread-safe: one request at a time, by one owner.
 */
final class NodeConnection implements AutoCloseable {
    /** Room for an answer's head (the node's heads are a few hundred bytes). */
    private static final int HEAD_BUFFER = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final String host;
    private final int port;
    private final byte[] hostHeader;
    private final byte[] authorization;
    private final byte[] in = new byte[HEAD_BUFFER];
    private byte[] head = new byte[1024];
    private Socket socket;
    private InputStream input;
    private OutputStream output;
    /** Bytes read from the socket into {@link #in} and not consumed yet: {@code [inStart, inEnd)}. */
    private int inStart;
    private int inEnd;
    /** Whether the request written last went over a connection that had carried one before. */
    private boolean lastWriteReused;

    NodeConnection(URI endpoint, String bearerToken) {
        String hostName = endpoint.getHost();
        // an IPv6 literal comes bracketed ("[::1]"): the Host header keeps the brackets, the socket address does not
        this.host = hostName.startsWith("[") && hostName.endsWith("]") ? hostName.substring(1, hostName.length() - 1) : hostName;
        this.port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
        this.hostHeader = ("Host: " + hostName + (endpoint.getPort() < 0 ? "" : ":" + port) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.authorization = bearerToken == null ? new byte[0]
                : ("Authorization: Bearer " + bearerToken + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Where an answer's body goes: asked for an array of at least {@code length} bytes once the head is read. */
    interface BodyTarget {
        byte[] arrayFor(int length);
    }

    /** An answer: status, the headers the client reads, and where its body was put. */
    record Answer(int status, byte[] body, int bodyLength, long next, long commitPosition, String incarnation,
                  String retryAfter) {
    }

    /**
     * Writes one request: {@code method target}, the given headers, and {@code length} bytes of
     * {@code body} from {@code offset} (none for a null body).
     *
     * @throws IOException if the connection cannot be opened or written (it is closed then)
     */
    void write(String method, String target, String contentType, String accept, String idempotencyKey,
               byte[] body, int offset, int length) throws IOException {
        try {
            lastWriteReused = socket != null;
            open();
            int at = 0;
            at = put(at, method);
            at = put(at, " ");
            at = put(at, target);
            at = put(at, " HTTP/1.1\r\n");
            at = put(at, hostHeader);
            at = put(at, authorization);
            if (contentType != null) {
                at = put(at, "Content-Type: ");
                at = put(at, contentType);
                at = put(at, "\r\n");
            }
            if (accept != null) {
                at = put(at, "Accept: ");
                at = put(at, accept);
                at = put(at, "\r\n");
            }
            if (idempotencyKey != null) {
                at = put(at, AppendBatcher.IDEMPOTENCY_KEY);
                at = put(at, ": ");
                at = put(at, idempotencyKey);
                at = put(at, "\r\n");
            }
            if (body != null) {
                at = put(at, "Content-Length: ");
                at = put(at, Integer.toString(length));
                at = put(at, "\r\n");
            }
            at = put(at, "\r\n");
            if (body != null && length <= 8 * 1024) {
                at = put(at, body, offset, length); // small bodies travel in the head's write
                body = null;
            }
            output.write(head, 0, at);
            if (body != null) {
                output.write(body, offset, length);
            }
            output.flush();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Reads the answer to the request written last, its body into {@code target} (error answers,
     * status 300 and above, into an array of their own). Waits up to {@code timeout} for each
     * read.
     *
     * @throws HttpTimeoutException if the node sends nothing for {@code timeout}
     * @throws IOException if the connection fails or the answer is not one this class reads (it is closed then)
     */
    Answer read(Duration timeout, BodyTarget target) throws IOException {
        if (socket == null) {
            throw new IOException("the connection was closed before its answer (its request could not be written)");
        }
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            int headEnd = headEnd();
            Head parsed = parseHead(headEnd);
            inStart = headEnd + 4;
            int length = parsed.length();
            byte[] body = parsed.status() < 300 && target != null ? target.arrayFor(length) : new byte[length];
            int have = Math.min(length, inEnd - inStart);
            System.arraycopy(in, inStart, body, 0, have);
            inStart += have;
            while (have < length) {
                int n = input.read(body, have, length - have);
                if (n < 0) {
                    throw new EOFException("the node closed the connection inside an answer's body");
                }
                have += n;
            }
            if (parsed.close()) {
                close(); // the node closes its side after this answer
            }
            return new Answer(parsed.status(), body, length, parsed.next(), parsed.commit(), parsed.incarnation(),
                    parsed.retryAfter());
        } catch (SocketTimeoutException e) {
            close();
            HttpTimeoutException timedOut = new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
            timedOut.initCause(e);
            throw timedOut;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * True if the request written last went over a kept-alive connection: a failure before its
     * answer may be the node having closed the idle connection meanwhile, so one more attempt on a
     * new connection is due before the failure counts.
     */
    boolean lastWriteReused() {
        return lastWriteReused;
    }

    private void open() throws IOException {
        if (socket != null) {
            return;
        }
        Socket opened = new Socket();
        try {
            opened.setTcpNoDelay(true);
            opened.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        socket = opened;
        input = opened.getInputStream();
        output = opened.getOutputStream();
        inStart = 0;
        inEnd = 0;
    }

    /** Reads until {@link #in} holds a whole head from {@code inStart}; returns the index of its blank line. */
    private int headEnd() throws IOException {
        if (inStart == inEnd) {
            inStart = 0;
            inEnd = 0;
        }
        int searched = inStart;
        while (true) {
            for (int i = Math.max(inStart, searched - 3); i + 3 < inEnd; i++) {
                if (in[i] == '\r' && in[i + 1] == '\n' && in[i + 2] == '\r' && in[i + 3] == '\n') {
                    return i;
                }
            }
            searched = inEnd;
            if (inEnd == in.length) {
                if (inStart == 0) {
                    throw new IOException("the node's answer head is larger than " + in.length + " bytes");
                }
                System.arraycopy(in, inStart, in, 0, inEnd - inStart);
                inEnd -= inStart;
                searched -= inStart;
                inStart = 0;
            }
            int n = input.read(in, inEnd, in.length - inEnd);
            if (n < 0) {
                throw new EOFException("the node closed the connection before answering");
            }
            inEnd += n;
        }
    }

    private record Head(int status, int length, long next, long commit, String incarnation, String retryAfter,
                        boolean close) {
    }

    /** The head in {@code in[inStart, end)}. */
    private Head parseHead(int end) throws IOException {
        int lineEnd = lineEnd(inStart, end);
        // "HTTP/1.1 200 OK"
        if (lineEnd - inStart < 12 || in[inStart] != 'H' || in[inStart + 8] != ' ') {
            throw new IOException("not an HTTP/1.1 answer: " + ascii(inStart, Math.min(lineEnd, inStart + 40)));
        }
        int status = (in[inStart + 9] - '0') * 100 + (in[inStart + 10] - '0') * 10 + (in[inStart + 11] - '0');
        long length = -1;
        long next = -1;
        long commit = -1;
        String incarnation = null;
        String retryAfter = null;
        boolean close = false;
        int at = lineEnd + 2;
        while (at < end) {
            int eol = lineEnd(at, end);
            int colon = indexOf(at, eol, (byte) ':');
            if (colon > at) {
                int valueStart = colon + 1;
                while (valueStart < eol && (in[valueStart] == ' ' || in[valueStart] == '\t')) {
                    valueStart++;
                }
                int valueEnd = eol;
                while (valueEnd > valueStart && (in[valueEnd - 1] == ' ' || in[valueEnd - 1] == '\t')) {
                    valueEnd--;
                }
                if (named(at, colon, "content-length")) {
                    length = number(valueStart, valueEnd);
                } else if (named(at, colon, "dp-next")) {
                    next = number(valueStart, valueEnd);
                } else if (named(at, colon, "dp-commit-position")) {
                    commit = number(valueStart, valueEnd);
                } else if (named(at, colon, "dp-incarnation")) {
                    incarnation = valueEnd > valueStart ? ascii(valueStart, valueEnd) : null;
                } else if (named(at, colon, "retry-after")) {
                    retryAfter = ascii(valueStart, valueEnd);
                } else if (named(at, colon, "transfer-encoding")) {
                    throw new IOException("the node's answer is chunked; this connection reads only Content-Length bodies");
                } else if (named(at, colon, "connection")) {
                    close = ascii(valueStart, valueEnd).equalsIgnoreCase("close");
                }
            }
            at = eol + 2;
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException("the node's answer (status " + status + ") has no usable Content-Length");
        }
        return new Head(status, (int) length, next, commit, incarnation, retryAfter, close);
    }

    private int lineEnd(int from, int end) {
        for (int i = from; i < end; i++) {
            if (in[i] == '\r' && in[i + 1] == '\n') {
                return i;
            }
        }
        return end;
    }

    private int indexOf(int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (in[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** True if {@code in[from, to)} is {@code lowerName}, ignoring case. */
    private boolean named(int from, int to, String lowerName) {
        if (to - from != lowerName.length()) {
            return false;
        }
        for (int i = 0; i < lowerName.length(); i++) {
            int c = in[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private long number(int from, int to) throws IOException {
        if (from == to || to - from > 18) {
            throw new IOException("not a number in the node's answer head: '" + ascii(from, to) + "'");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = in[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IOException("not a number in the node's answer head: '" + ascii(from, to) + "'");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private String ascii(int from, int to) {
        return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private int put(int at, String text) {
        int n = text.length();
        ensure(at + n);
        for (int i = 0; i < n; i++) {
            head[at + i] = (byte) text.charAt(i); // targets and header values are ASCII
        }
        return at + n;
    }

    private int put(int at, byte[] bytes) {
        return put(at, bytes, 0, bytes.length);
    }

    private int put(int at, byte[] bytes, int offset, int length) {
        ensure(at + length);
        System.arraycopy(bytes, offset, head, at, length);
        return at + length;
    }

    private void ensure(int size) {
        if (size > head.length) {
            head = Arrays.copyOf(head, Math.max(size, head.length * 2));
        }
    }

    /** Closes the socket; the next request opens another. */
    @Override
    public void close() {
        Socket open = socket;
        socket = null;
        input = null;
        output = null;
        inStart = 0;
        inEnd = 0;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // nothing to keep
            }
        }
    }
}
