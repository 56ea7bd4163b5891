package org.heraldmta.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** Builds {@code ?a=1&b=2} from the parameters that are set, encoded. */
final class QueryString {

    private final StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");

    QueryString add(String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            joined.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
        return this;
    }

    @Override
    public String toString() {
        return joined.toString();
    }

    /** A path segment, encoded so that a queue id or domain can never change the path. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
