/**
 * The queue manager: from the spool to the delivery agent. {@link org.heraldmta.qmgr.QueueManager} keeps the
 * pending work in memory, one ready queue per {@link org.heraldmta.qmgr.Destination} and one timer set ordered by
 * due time, and starts a virtual thread per delivery (one message's pending recipients of one domain, in one SMTP
 * transaction) as shaping allows. {@link org.heraldmta.qmgr.DeliveryPlanner} decides, as a pure function, the
 * mode of each attempt (direct, then relay, then bounce) and what each outcome means.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@code max_connections} deliveries at most per destination at any moment; after {@code max_continuous}
 *       messages back to back a pause of {@code delay_for_continuing} (counted from the end of the burst's last
 *       delivery); {@code max_message_rate} as evenly spaced starts; {@code delay_after_failure} followed value by
 *       value, the last repeating; a reply matching {@code throttle_replies} pauses the destination for
 *       {@code throttle_pause} (event {@code throttled}).</li>
 *   <li>A destination is a domain, or an MX rule shared by every domain whose MX hosts match it. MX host names
 *       come from an injected {@link org.heraldmta.qmgr.MxHostNames}, asked only while MX rules exist; mail waits
 *       for an answer at most 30 s, and without one goes as its own domain.</li>
 *   <li>Shaping counters per destination live behind {@link org.heraldmta.qmgr.DestinationBudget}, obtained from
 *       an injected {@link org.heraldmta.qmgr.ShapingCounters} (in memory by default): the seam through which
 *       several Herald nodes could share one budget per destination. Ready queues, timers and MX answers stay
 *       per node.</li>
 *   <li>New settings ({@code settingsChanged()}) apply to the next decision; deliveries in flight finish with the
 *       settings they started with; ready work moves to the destination its domain now belongs to.</li>
 *   <li>A recipient's new state is durable in the spool before its next attempt; a message whose recipients are
 *       all final is removed from the spool; a bounce notification is committed before the failure it reports is
 *       recorded, so a crash can repeat a notification but not lose it.</li>
 *   <li>A message from the null sender never causes a notification; its failures are only logged.</li>
 *   <li>One event per recipient per attempt ({@code delivered}, {@code deferred}, {@code bounced},
 *       {@code expired}), with the attempt's step, host, address and reply; {@code bounce_queued} per
 *       notification.</li>
 *   <li>No silent waiting: every queued part of a message can say why it is not moving and until when
 *       ({@link org.heraldmta.qmgr.WaitReason}).</li>
 *   <li>Cost: no decision scans the whole queue (timer set and ready queues, O(log n) and O(1)); per queued
 *       message a few small objects, with envelope and recipient states left in the spool.</li>
 * </ul>
 * It never opens a connection: that is the {@code smtp} package's job.
 */
package org.heraldmta.qmgr;
