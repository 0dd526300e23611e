package delivery.embeddedmongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows which client connections are open, so the store can outlive its clients when its parent
 * dies: the services that parent started shut down gracefully at the same moment (handing back
 * their jobs, publishing their outboxes) and need the store until they are done.
 */
final class ClientTrackingBackend extends ForwardingBackend {
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();

  ClientTrackingBackend(MongoBackend delegate) {
    super(delegate);
  }

  private void seen(Channel channel) {
    if (channel != null && channel.isActive()) {
      open.add(channel);
    }
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    seen(channel);
    return super.handleCommand(channel, database, command, query);
  }

  @Override
  public Document handleMessage(MongoMessage message) {
    seen(message.getChannel());
    return super.handleMessage(message);
  }

  @Override
  public QueryResult handleQuery(MongoQuery query) {
    seen(query.getChannel());
    return super.handleQuery(query);
  }

  @Override
  public void handleClose(Channel channel) {
    open.remove(channel);
    super.handleClose(channel);
  }

  /** Waits until every client has disconnected, or `limit` has passed; true when they all did. */
  boolean awaitNoClients(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      open.removeIf(channel -> !channel.isActive());
      if (open.isEmpty()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
