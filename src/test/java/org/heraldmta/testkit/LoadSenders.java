package org.heraldmta.testkit;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.heraldmta.mail.SmtpReply;

/**
 * Several SMTP clients sending small messages in a loop until stopped, each message with its own token as
 * Message-ID ({@code <token@load.test>}) and in its body, remembering which tokens got a 250 after DATA and what
 * every other attempt ended in. The tokens let a test find each acknowledged message at the receiving end.
 */
public final class LoadSenders implements AutoCloseable {

    private final String ip;
    private final int port;
    private final String recipientDomain;
    private final String prefix;
    private final AtomicInteger sequence;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> acknowledged;
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();

    private LoadSenders(String ip, int port, String recipientDomain, String prefix, AtomicInteger sequence,
            Set<String> acknowledged) {
        this.ip = ip;
        this.port = port;
        this.recipientDomain = recipientDomain;
        this.prefix = prefix;
        this.sequence = sequence;
        this.acknowledged = acknowledged;
    }

    /**
     * Starts {@code clients} senders against {@code ip:port}.
     *
     * @param sequence     numbers the tokens; share it between rounds so that tokens stay unique
     * @param acknowledged where the tokens of acknowledged messages are added
     */
    public static LoadSenders start(int clients, String ip, int port, String recipientDomain, String prefix,
            AtomicInteger sequence, Set<String> acknowledged) {
        LoadSenders senders = new LoadSenders(ip, port, recipientDomain, prefix, sequence, acknowledged);
        for (int i = 0; i < clients; i++) {
            senders.clients.submit(senders::sendUntilStopped);
        }
        return senders;
    }

    private Void sendUntilStopped() {
        while (!stop.get()) {
            String token = prefix + "-" + sequence.incrementAndGet();
            sent.increment();
            String outcome;
            try {
                outcome = sendOne(token);
            } catch (IOException | RuntimeException | AssertionError e) {
                outcome = "connection failed";
                pause(); // the server is down or restarting: do not spin
            }
            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        }
        return null;
    }

    private String sendOne(String token) throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.connect(ip, port)) {
            smtp.expect("220");
            smtp.send("EHLO load.test").expect("250");
            String refused = refusal("MAIL", smtp.send("MAIL FROM:<load@load.test>").readReply(), 250);
            if (refused == null) {
                refused = refusal("RCPT", smtp.send("RCPT TO:<to-" + (token.hashCode() & 3) + "@" + recipientDomain
                        + ">").readReply(), 250);
            }
            if (refused == null) {
                refused = refusal("DATA", smtp.send("DATA").readReply(), 354);
            }
            if (refused != null) {
                smtp.send("QUIT");
                return refused;
            }
            smtp.sendRaw("Message-ID: <" + token + "@load.test>\r\nFrom: <load@load.test>\r\nSubject: " + token
                    + "\r\n\r\nbody " + token + "\r\n.\r\n");
            SmtpReply end = smtp.readReply();
            if (end.code() == 250) {
                acknowledged.add(token);
            }
            smtp.send("QUIT");
            return "end of data " + describe(end);
        }
    }

    /** Null when the reply is the expected one, else what the step ended in ("DATA 452 4.3.1"). */
    private static String refusal(String step, SmtpReply reply, int expected) {
        return reply.code() == expected ? null : step + " " + describe(reply);
    }

    private static String describe(SmtpReply reply) {
        return reply.code() + reply.enhanced().map(e -> " " + e).orElse("");
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many messages were begun so far. */
    public long sent() {
        return sent.sum();
    }

    /** What the attempts ended in ("end of data 250 2.0.0", "DATA 452 4.3.1", "connection failed"...), with counts. */
    public Map<String, Long> outcomes() {
        Map<String, Long> out = new java.util.TreeMap<>();
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Stops the senders and waits for the messages in progress to end. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        clients.shutdown();
        clients.awaitTermination(60, TimeUnit.SECONDS);
    }
}
