package org.heraldmta.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Records parsed from zone-file text (relative names are taken from the root, records without a TTL get 300 s), and
 * the authoritative answer to a query over them, as a real server would give it: the records, a CNAME chain, NODATA
 * or NXDOMAIN.
 */
public final class FakeZone {

    private final List<Record> records;

    private FakeZone(List<Record> records) {
        this.records = List.copyOf(records);
    }

    public static FakeZone parse(String zoneText) {
        List<Record> parsed = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)),
                Name.root, 300)) {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                parsed.add(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bad zone text: " + e.getMessage(), e);
        }
        return new FakeZone(parsed);
    }

    public List<Record> records() {
        return records;
    }

    /** The response a server authoritative for these records gives to {@code query}. */
    public Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        Name current = question.getName();
        for (int link = 0; link < 10; link++) {
            boolean exists = false;
            Record alias = null;
            boolean found = false;
            for (Record record : records) {
                if (!record.getName().equals(current)) {
                    continue;
                }
                exists = true;
                if (record.getType() == question.getType()) {
                    response.addRecord(record, Section.ANSWER);
                    found = true;
                } else if (record.getType() == Type.CNAME) {
                    alias = record;
                }
            }
            if (found) {
                return response;
            }
            if (alias != null) {
                response.addRecord(alias, Section.ANSWER);
                current = ((CNAMERecord) alias).getTarget();
                continue;
            }
            if (!exists && !isEmptyNonTerminal(current)) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            addSoaOfEnclosingZone(current, response);
            return response;
        }
        return response;
    }

    /** RFC 2308: a negative answer carries the zone's SOA, whose MINIMUM says how long to cache it. */
    private void addSoaOfEnclosingZone(Name name, Message response) {
        records.stream()
                .filter(r -> r.getType() == Type.SOA && name.subdomain(r.getName()))
                .max(java.util.Comparator.comparingInt(r -> r.getName().labels()))
                .ifPresent(soa -> response.addRecord(soa, Section.AUTHORITY));
    }

    private boolean isEmptyNonTerminal(Name name) {
        return records.stream().anyMatch(r -> r.getName().subdomain(name) && !r.getName().equals(name));
    }
}
