package org.heraldmta.smtpd;

/** One command line as {@link SmtpInput#readLine} found it: text, or the reason it cannot be used. */
sealed interface InputLine {

    /** A well-formed line, without its CRLF. */
    record Text(String text) implements InputLine {
    }

    /** The line was longer than the limit; it has been read to its end and thrown away. */
    record TooLong() implements InputLine {
    }

    /** The line ended with a bare LF, held a bare CR or a NUL, or was not UTF-8. It has been read to its end. */
    record Malformed(String reason) implements InputLine {
    }

    /** A line went on far beyond any sane length: the client is not speaking SMTP. */
    record Flood() implements InputLine {
    }

    /** The client closed the connection (a partial last line is dropped). */
    record EndOfStream() implements InputLine {
    }
}
