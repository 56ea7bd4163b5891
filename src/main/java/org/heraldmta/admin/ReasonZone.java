package org.heraldmta.admin;

import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The time zone the sentences of wait reasons are written in ("retry at 12:04:10 after ..."): {@code ?tz=} names
 * one (an IANA zone such as {@code Europe/Berlin}, as a browser reports it), else UTC. Every other time in the API
 * is an ISO-8601 instant and needs no zone.
 */
final class ReasonZone {

    static final String PARAMETER = "tz";

    private ReasonZone() {
    }

    static ZoneId of(Context ctx) {
        String name = ctx.queryParam(PARAMETER);
        if (name == null || name.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(name.strip());
        } catch (DateTimeException e) {
            throw ApiException.badParameter(PARAMETER, "not a time zone: " + name + " (use a name such as "
                    + "Europe/Berlin)");
        }
    }
}
