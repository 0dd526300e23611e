package delivery.embeddedmongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVStore;

/**
 * Serves the MongoDB wire protocol for dev and tests.
 *
 * <p>Protocol with the parent process: one line {@code LISTENING host:port} on stdout once bound
 * (everything else goes to stderr), and the process exits when stdin reaches EOF, so it never
 * outlives the process that started it, even when that one is SIGKILLed. On EOF it first waits
 * (at most {@link #CLIENTS_GRACE}) for its clients to disconnect: the services started beside it
 * shut down gracefully at the same moment and write on the way out.
 */
public final class Launcher {
  private static final CountDownLatch STOPPED = new CountDownLatch(1);
  private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean(false);
  /** Longer than a service's own bounded shutdown (40 s), so none is cut off mid-way. */
  private static final Duration CLIENTS_GRACE = Duration.ofSeconds(45);

  private Launcher() {}

  public static void main(String[] argv) throws Exception {
    // Before any logger is created: the server is chatty at INFO and stdout is reserved.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

    Options options;
    try {
      options = Options.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("embedded-mongo: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(64);
      return;
    }

    ClientTrackingBackend backend = new ClientTrackingBackend(openBackend(options));
    // The mongodb 7 driver refuses servers below wire version 9; see Mongo50 for why not MONGO_5_0.
    backend.version(new Mongo50());
    MongoServer server = new MongoServer(backend);

    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shutdown(server, backend), "embedded-mongo-shutdown"));

    try {
      server.bind(options.host, options.port);
    } catch (RuntimeException e) {
      System.err.println("embedded-mongo: cannot bind " + options.host + ":" + options.port + ": " + e);
      System.exit(2);
      return;
    }

    InetSocketAddress address = server.getLocalAddress();
    System.out.println("LISTENING " + options.host + ":" + address.getPort());
    System.out.flush();

    watchStdin(backend);
    STOPPED.await();
  }

  private static MongoBackend openBackend(Options options) throws IOException {
    if (options.backend.equals("memory")) {
      return new MemoryBackend();
    }
    Path file = Path.of(options.file).toAbsolutePath();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    MVStore store = H2Store.open(file);
    return new CommittingBackend(new H2Backend(store), store);
  }

  /**
   * EOF on stdin means the parent is gone (exit, crash or SIGKILL): let the clients finish, then
   * exit through the shutdown hook.
   */
  private static void watchStdin(ClientTrackingBackend clients) {
    Thread watcher =
        new Thread(
            () -> {
              byte[] buffer = new byte[256];
              try {
                InputStream in = System.in;
                while (in.read(buffer) >= 0) {
                  // Input is ignored; only its end matters.
                }
              } catch (IOException ignored) {
                // A broken pipe means the same as EOF.
              }
              // Still listening: a client's driver opens new connections as it needs them, and
              // refusing those would hang its shutdown writes on server selection.
              try {
                if (!clients.awaitNoClients(CLIENTS_GRACE)) {
                  System.err.println("embedded-mongo: clients still connected after " + CLIENTS_GRACE);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              System.exit(0);
            },
            "embedded-mongo-stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Runs once, from the shutdown hook (SIGTERM, SIGINT or stdin EOF). */
  private static void shutdown(MongoServer server, MongoBackend backend) {
    if (!SHUTTING_DOWN.compareAndSet(false, true)) {
      return;
    }
    try {
      server.shutdown();
    } catch (RuntimeException e) {
      System.err.println("embedded-mongo: shutdown failed: " + e);
    }
    // Closing the H2 store flushes pending writes so the file is complete for the next start.
    try {
      backend.close();
    } catch (RuntimeException e) {
      System.err.println("embedded-mongo: closing the store failed: " + e);
    }
    STOPPED.countDown();
  }
}
