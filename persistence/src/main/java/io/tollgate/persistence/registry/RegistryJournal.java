package io.tollgate.persistence.registry;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.Materializer;

/**
 * Reads the registry's snapshot straight from its journal, for a {@link KeyDirectory} whose
 * registry does not answer (its region is down): replays every event of {@code KeyRegistry|global}
 * through the registry's own event handler ({@link KeyRegistry.State#apply}) into the
 * {@link RegistrySnapshot} the entity would reply. Read-only: it never writes to the journal.
 */
final class RegistryJournal {
  private RegistryJournal() {}

  /** The persistence id of the one registry entity. */
  static final String PERSISTENCE_ID =
      PersistenceId.of(KeyRegistry.ENTITY_KEY.name(), KeyRegistry.GLOBAL_ID).id();

  /** Replays the journal on the system's materializer; fails if Cassandra cannot be read. */
  static CompletionStage<RegistrySnapshot> load(ActorSystem<?> system) {
    CassandraReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    return journal.currentEventsByPersistenceId(PERSISTENCE_ID, 0L, Long.MAX_VALUE)
        .runFold(KeyRegistry.State.empty(), RegistryJournal::applied, Materializer.matFromSystem(system))
        .thenApply(KeyRegistry.State::snapshot);
  }

  private static KeyRegistry.State applied(KeyRegistry.State state, EventEnvelope envelope) {
    if (envelope.event() instanceof KeyRegistry.Event event) {
      return state.apply(event);
    }
    throw new IllegalStateException("unexpected event type in " + PERSISTENCE_ID + " at sequence number "
        + envelope.sequenceNr() + ": " + envelope.event().getClass().getName());
  }
}
