/**
 * SMTP AUTH users: the users file, Argon2id password hashes, and the per-user sender restrictions.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Passwords are stored only as salted Argon2id hashes (RFC 9106, BouncyCastle's implementation) in PHC string
 *       form; a hash is checked in constant time, and an unknown user costs as much time as a known one.</li>
 *   <li>Hashing is memory-hard on purpose, so {@link org.heraldmta.auth.UserFileAuthenticator} runs only a few at
 *       once: a flood of AUTH attempts queues instead of exhausting memory.</li>
 *   <li>The users file is written atomically (temporary file, fsync, rename) and readable by its owner only; the
 *       server rereads it when it changes, so {@code herald user add} needs no restart.</li>
 *   <li>No password or hash is ever logged or shown by {@code toString()}.</li>
 * </ul>
 */
package org.heraldmta.auth;
