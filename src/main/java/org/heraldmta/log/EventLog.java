package org.heraldmta.log;

/** Where events go. Thread safe; {@link #write} must be cheap (it may queue the line for a writer thread). */
public interface EventLog extends AutoCloseable {

    void write(Event event);

    @Override
    void close();
}
