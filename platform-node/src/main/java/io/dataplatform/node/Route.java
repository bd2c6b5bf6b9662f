package io.dataplatform.node;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the API's route table ({@link HttpApi}): method, path, access scope, body limit and
 * handler. {@code segments} are the path's segments: literals, or {@code :name} for a parameter;
 * {@code bodyLimit} 0 means the route reads no body; {@code tooLarge} is the answer to a body over
 * it. Immutable.
 */
record Route(HttpMethod method, String path, String[] segments, String[] paramNames, AccessControl.Scope scope,
             int bodyLimit, ApiError tooLarge, Handler<Call> handler) {

    static Route of(HttpMethod method, String path, AccessControl.Scope scope, int bodyLimit, ApiError tooLarge,
                    Handler<Call> handler) {
        String[] segments = path.substring(1).split("/");
        List<String> names = new ArrayList<>();
        for (String segment : segments) {
            if (segment.startsWith(":")) {
                names.add(segment.substring(1));
            }
        }
        return new Route(method, path, segments, names.toArray(new String[0]), scope, bodyLimit, tooLarge, handler);
    }

    /**
     * True if the raw path's segments ({@code count} of them, starting at each {@code starts[i]},
     * see {@link RequestTarget#segments}) fit this route: literals equal, parameters non-empty.
     * Allocates nothing.
     */
    boolean matches(String path, int[] starts, int count) {
        if (count != segments.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            int from = starts[i];
            int to = i + 1 < count ? starts[i + 1] - 1 : path.length();
            String segment = segments[i];
            if (segment.charAt(0) == ':') {
                if (to == from) {
                    return false;
                }
            } else if (to - from != segment.length() || !path.regionMatches(from, segment, 0, segment.length())) {
                return false;
            }
        }
        return true;
    }

    /** The route's parameters in the raw path, percent-decoded strictly ({@link RequestTarget#decode}). */
    String[] paramValues(String path, int[] starts, int count) {
        String[] values = new String[paramNames.length];
        int next = 0;
        for (int i = 0; i < count; i++) {
            if (segments[i].charAt(0) == ':') {
                int to = i + 1 < count ? starts[i + 1] - 1 : path.length();
                String name = paramNames[next];
                values[next++] = RequestTarget.decode(path.substring(starts[i], to), name);
            }
        }
        return values;
    }
}
