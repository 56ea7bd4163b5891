package org.heraldmta.testkit;

import java.io.IOException;
import java.util.List;
import org.heraldmta.mail.SmtpReply;

/** Hands one message to an SMTP server over {@link SmtpDialogue} and returns the queue id from the 250 reply. */
public final class Submitter {

    private Submitter() {
    }

    /**
     * Sends a small message whose body carries {@code token}, so that the copy arriving at a sink can be matched.
     *
     * @return the queue id the server gave in its reply to the final dot
     */
    public static String submit(String ip, int port, String sender, List<String> recipients, String token)
            throws IOException {
        try (SmtpDialogue smtp = SmtpDialogue.connect(ip, port)) {
            smtp.expect("220");
            smtp.send("EHLO client.test").expect("250");
            smtp.send("MAIL FROM:<" + sender + ">").expect("250");
            for (String recipient : recipients) {
                smtp.send("RCPT TO:<" + recipient + ">").expect("250");
            }
            smtp.send("DATA").expect("354");
            smtp.sendRaw("From: <" + sender + ">\r\nTo: <" + recipients.get(0) + ">\r\nSubject: " + token
                    + "\r\n\r\nbody " + token + "\r\n.\r\n");
            SmtpReply accepted = smtp.expect("250");
            smtp.send("QUIT");
            return queueIdOf(accepted);
        }
    }

    /** The last word of a {@code 250 2.0.0 Ok: queued as ID} reply. */
    public static String queueIdOf(SmtpReply reply) {
        String text = reply.lines().get(reply.lines().size() - 1).trim();
        return text.substring(text.lastIndexOf(' ') + 1);
    }
}
