/**
 * The {@code herald} command line: {@code serve}, {@code config check}, {@code log} and the commands later issues
 * add. Each command is a thin client of the running server's admin API or of local files; none duplicates server
 * logic. {@link org.heraldmta.cli.Main#run} is testable without {@code System.exit}.
 */
package org.heraldmta.cli;
