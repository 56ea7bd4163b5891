/**
 * The {@code herald} command line: {@code serve}, {@code config check}, {@code log}, {@code sendmail},
 * {@code user}, and the clients of the running server's admin API ({@code queue list|show|retry|hold|release|
 * delete|bounce}, {@code status}, {@code config explain}, {@code reload}). Each command is a thin client of the
 * admin API (through {@link org.heraldmta.cli.AdminClient}, always by IP literal) or of local files; none
 * duplicates server logic. {@link org.heraldmta.cli.Main#run} is testable without {@code System.exit}.
 */
package org.heraldmta.cli;
