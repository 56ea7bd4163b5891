package org.heraldmta.qmgr;

/**
 * Where the queue manager keeps each destination's {@link DestinationBudget}. In memory by default: one budget per
 * destination that has work or a running pause, forgotten when idle. A cluster of Herald nodes would give every
 * node an implementation over one shared store (e.g. Redis), so that the nodes together keep each destination's
 * limits. The application chooses it; the queue manager asks it for a destination's budget under its lock, when
 * the destination gets work.
 */
@FunctionalInterface
public interface ShapingCounters {

    /** The budget of {@code destination}: a new one, or the one shared with other nodes. */
    DestinationBudget budgetOf(Destination destination);

    /** Counters of this node alone, as a single Herald needs. */
    static ShapingCounters inMemory() {
        return destination -> new InMemoryBudget();
    }
}
