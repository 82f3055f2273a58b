package com.leadforge.analytics.rebuild;

import java.util.List;
import java.util.Set;

import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.IncomingEvent;

/**
 * The live consumer's projector while a rebuild may be building: each poll is applied to the live set as always and,
 * when a rebuild is building, a second time to the fresh set in the same transaction, so that the events published
 * after the rebuild captured the topics' ends reach the fresh set too. Whichever replica runs the rebuild, every
 * replica's consumer does this (the question is asked of the database in each transaction).
 *
 * <p>Deliberately not a CDI bean: the dead-letter re-drive runs every {@link EventHandler} bean, and must run the
 * projector once, not through this as well (the rebuild replays the dead-letter topics itself).
 */
public final class LiveAndFreshHandler implements EventHandler {

    private final EventHandler live;
    private final FreshSet freshSet;

    LiveAndFreshHandler(EventHandler live, FreshSet freshSet) {
        this.live = live;
        this.freshSet = freshSet;
    }

    @Override
    public String consumerName() {
        return live.consumerName();
    }

    @Override
    public Set<String> topics() {
        return live.topics();
    }

    @Override
    public boolean handles(String type) {
        return live.handles(type);
    }

    @Override
    public void apply(IncomingEvent event) {
        live.apply(event);
        alsoFresh(List.of(event));
    }

    @Override
    public void applyAll(List<IncomingEvent> events, Runnable settle) {
        live.applyAll(events, settle);
        alsoFresh(events);
    }

    private void alsoFresh(List<IncomingEvent> events) {
        if (freshSet.building()) {
            freshSet.apply(live, events);
        }
    }
}
