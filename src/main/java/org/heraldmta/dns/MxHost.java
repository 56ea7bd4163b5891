package org.heraldmta.dns;

/**
 * One mail exchanger of a domain.
 *
 * @param name       the host name, lower case, without the trailing dot
 * @param preference the MX preference; lower is tried first
 */
public record MxHost(String name, int preference) {

    public MxHost {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("MX host without a name");
        }
        if (preference < 0 || preference > 65535) {
            throw new IllegalArgumentException("MX preference out of range: " + preference);
        }
    }

    @Override
    public String toString() {
        return preference + " " + name;
    }
}
