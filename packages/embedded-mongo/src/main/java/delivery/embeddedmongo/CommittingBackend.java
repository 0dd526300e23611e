package delivery.embeddedmongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * Makes every acknowledged write durable against a killed process.
 *
 * <p>The H2 backend leaves committing to the MVStore's background thread, about once a second, so
 * a SIGKILLed launcher lost the writes it had acknowledged in its last second. The server writes
 * a reply only after the backend returns, so committing here, before returning, means a client
 * never sees an acknowledgement for a write that is not in the file yet. The commit reaches the
 * operating system (not the disk: there is no fsync), which is what survives a killed process.
 */
final class CommittingBackend extends ForwardingBackend {
  private final MVStore store;

  CommittingBackend(MongoBackend delegate, MVStore store) {
    super(delegate);
    this.store = store;
  }

  private <T> T committed(T reply) {
    if (store.hasUnsavedChanges()) {
      store.commit();
    }
    return reply;
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    return committed(super.handleCommand(channel, database, command, query));
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    return committed(super.handleMessage(message));
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    return committed(super.handleQuery(query));
  }

  @Override
  public void dropDatabase(String database) {
    super.dropDatabase(database);
    committed(null);
  }
}
