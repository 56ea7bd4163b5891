package org.heraldmta.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A socket's output stream whose every write and flush must finish within the current time-out. */
final class GuardedOutputStream extends OutputStream {

    private final OutputStream raw;
    private final Socket socket;
    private final WriteWatchdog watchdog;
    private Duration timeout;

    GuardedOutputStream(OutputStream raw, Socket socket, WriteWatchdog watchdog, Duration timeout) {
        this.raw = raw;
        this.socket = socket;
        this.watchdog = watchdog;
        this.timeout = timeout;
    }

    void timeout(Duration newTimeout) {
        this.timeout = newTimeout;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        WriteWatchdog.Guard guard = watchdog.arm(socket, timeout);
        try (guard) {
            raw.write(bytes, offset, length);
        } catch (IOException e) {
            throw guard.fired() ? timedOut() : e;
        }
    }

    @Override
    public void flush() throws IOException {
        WriteWatchdog.Guard guard = watchdog.arm(socket, timeout);
        try (guard) {
            raw.flush();
        } catch (IOException e) {
            throw guard.fired() ? timedOut() : e;
        }
    }

    private SocketTimeoutException timedOut() {
        return new SocketTimeoutException("the server took more than " + ReplyReader.describe(timeout)
                + " to accept our data");
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
