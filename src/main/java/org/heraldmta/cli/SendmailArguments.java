package org.heraldmta.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sendmail command line as programs use it: {@code -t}, {@code -i}/{@code -oi}, {@code -f sender},
 * {@code -F name}, recipients as arguments, {@code --}, and the common flags that change nothing here
 * ({@code -odi}, {@code -oem}, {@code -v}...). Unknown modes such as {@code -bs} or {@code -bp} are refused.
 *
 * @param recipientsFromHeaders {@code -t}
 * @param dotEndsInput          false with {@code -i}/{@code -oi}: a line with a single dot is content
 * @param sender                {@code -f}/{@code -r}
 * @param fullName              {@code -F}
 * @param recipients            the arguments after the options
 * @param configFile            {@code --config FILE} (Herald's own option)
 */
record SendmailArguments(boolean recipientsFromHeaders, boolean dotEndsInput, Optional<String> sender,
                         Optional<String> fullName, List<String> recipients, Optional<String> configFile) {

    /** Options that take a value (sendmail/Postfix compatible); the value is ignored unless handled below. */
    private static final String WITH_VALUE = "fFrBNRVXOCLh";

    static SendmailArguments parse(List<String> args) {
        boolean fromHeaders = false;
        boolean dotEnds = true;
        String sender = null;
        String fullName = null;
        String config = null;
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                recipients.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.equals("--config") || arg.startsWith("--config=")) {
                if (arg.contains("=")) {
                    config = arg.substring("--config=".length());
                } else {
                    config = valueAfter(args, i++, arg);
                }
                continue;
            }
            if (!arg.startsWith("-") || arg.length() == 1) {
                recipients.add(arg);
                continue;
            }
            char option = arg.charAt(1);
            switch (option) {
                case 't' -> fromHeaders = true;
                case 'i' -> dotEnds = false;
                case 'o' -> {
                    if (arg.equals("-oi")) {
                        dotEnds = false;
                    }
                    // -odi, -odb, -oem, -oee, -om...: delivery and error modes Herald does not need
                }
                case 'b' -> {
                    if (!arg.equals("-bm")) {
                        throw new IllegalArgumentException("mode " + arg + " is not supported (only -bm, the default)");
                    }
                }
                case 'v', 'n', 'U', 'G', 'm', 'e' -> {
                    // verbose, no aliasing, initial submission, gateway, me-too, error mode: nothing to do
                }
                default -> {
                    if (WITH_VALUE.indexOf(option) < 0) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    String value = arg.length() > 2 ? arg.substring(2) : valueAfter(args, i++, arg);
                    if (option == 'f' || option == 'r') {
                        sender = value;
                    } else if (option == 'F') {
                        fullName = value;
                    }
                }
            }
        }
        return new SendmailArguments(fromHeaders, dotEnds, Optional.ofNullable(sender), Optional.ofNullable(fullName),
                List.copyOf(recipients), Optional.ofNullable(config));
    }

    private static String valueAfter(List<String> args, int index, String option) {
        if (index + 1 >= args.size()) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args.get(index + 1);
    }
}
