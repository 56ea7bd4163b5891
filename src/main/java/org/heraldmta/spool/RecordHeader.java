package org.heraldmta.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed 25-byte header in front of every journal record.
 *
 * <pre>
 *   0  int   magic          finds record starts again after damage
 *   4  byte  type           {@link RecordType#code}
 *   5  int   metaLength     bytes of metadata that follow the header
 *   9  long  contentLength  bytes of message content after the metadata (0 unless MESSAGE)
 *  17  int   contentCrc     CRC32C of the content
 *  21  int   headerCrc      CRC32C of bytes 4..20 and the metadata
 * </pre>
 *
 * <p>The content has its own checksum because it is computed while the client sends DATA, long before the
 * metadata (envelope, queue id) is known; CRC32C values cannot be joined afterwards.
 */
record RecordHeader(RecordType type, int metaLength, long contentLength, int contentCrc) {

    static final int MAGIC = 0xB500D17E;
    static final int BYTES = 25;
    /** Metadata larger than this is taken for a damaged length field. */
    static final int MAX_META = 16 * 1024 * 1024;

    long recordLength() {
        return BYTES + (long) metaLength + contentLength;
    }

    /** The header followed by the metadata, ready to write. */
    static ByteBuffer encode(RecordType type, byte[] meta, long contentLength, int contentCrc) {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES + meta.length);
        buffer.putInt(MAGIC).put(type.code).putInt(meta.length).putLong(contentLength).putInt(contentCrc);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 4, 17);
        crc.update(meta);
        buffer.putInt((int) crc.getValue()).put(meta).flip();
        return buffer;
    }

    /** The checksum a header with these fields and this metadata must carry. */
    static int headerCrc(ByteBuffer header, byte[] meta) {
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 4, 17);
        crc.update(meta);
        return (int) crc.getValue();
    }
}
