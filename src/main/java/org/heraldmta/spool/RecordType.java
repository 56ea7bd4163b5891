package org.heraldmta.spool;

/** The kinds of journal record; the code is what is stored on disk, so it never changes. */
enum RecordType {
    /** A new message (or a compaction copy of one): queue id, envelope, recipient states, then its content. */
    MESSAGE(1),
    /** New recipient states and held flag of a message whose MESSAGE record lies earlier in the journal. */
    UPDATE(2),
    /** The message is gone; older records about it no longer count. */
    REMOVE(3);

    final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    static RecordType ofCode(byte code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown record type " + code);
    }
}
