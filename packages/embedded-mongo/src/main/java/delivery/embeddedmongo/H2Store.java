package delivery.embeddedmongo;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

/**
 * Opens the H2 data file, and when it is damaged (a crash while writing) says so, keeps a copy,
 * and lets H2 roll it back to its newest consistent version before giving up.
 *
 * <p>Without this a damaged file failed every start with a bare stack trace, and the data
 * written before the damage was unreachable although H2 still had it.
 */
final class H2Store {
  /** Exit status of a launcher whose data file is damaged beyond H2's repair. */
  static final int DAMAGED_EXIT_CODE = 3;

  private static final int RETENTION_MS = 5_000;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private H2Store() {}

  static MVStore open(Path file) throws IOException {
    if (Files.exists(file)) {
      String damage = damageOf(file);
      if (damage != null) {
        repair(file, damage);
      }
    }
    // A commit per write (CommittingBackend) writes a chunk per write (~40 KB, ~8 KB compressed),
    // and H2 keeps each for its retention time: at the default 45 s and uncompressed, 80 s of
    // back-to-back inserts grew the file to 3 GB. 5 s bounds that overhead to writes/s x 5 s x
    // chunk size, while a repair can still roll back across the last 5 s (at 0 the versions a
    // rollback needs get overwritten).
    MVStore store = new MVStore.Builder().fileName(file.toString()).compress().open();
    store.setRetentionTime(RETENTION_MS);
    return store;
  }

  /** Reads every entry of every map read-only: damage anywhere shows now, not as a later 500. */
  private static String damageOf(Path file) {
    try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
      for (String name : store.getMapNames()) {
        MVMap<Object, Object> map = store.openMap(name);
        Cursor<Object, Object> cursor = map.cursor(null);
        while (cursor.hasNext()) {
          cursor.next();
          cursor.getValue();
        }
      }
      return null;
    } catch (RuntimeException | StackOverflowError e) {
      return e.toString();
    }
  }

  private static void repair(Path file, String damage) throws IOException {
    Path copy = file.resolveSibling(file.getFileName() + ".damaged-" + STAMP.format(Instant.now()));
    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
    System.err.println("embedded-mongo: the data file " + file + " is damaged: " + damage);
    System.err.println("embedded-mongo: kept a copy of the damaged file at " + copy);
    System.err.println("embedded-mongo: rolling " + file + " back to its newest consistent version");
    long version = rollBackToConsistentVersion(file);
    if (version < 0) {
      System.err.println(
          "embedded-mongo: cannot repair the data file "
              + file
              + ": no version of it is consistent. The damaged file is kept at "
              + copy
              + "; move "
              + file
              + " away to start with an empty store.");
      System.exit(DAMAGED_EXIT_CODE);
    }
    System.err.println(
        "embedded-mongo: repaired "
            + file
            + ": rolled back to version "
            + version
            + ", its newest consistent one; writes after it are lost (the damaged file is kept at "
            + copy
            + ")");
  }

  /**
   * H2's own MVStoreTool.repair stops at the first version whose header reads back, which may
   * still hold a damaged page; this walks back chunk by chunk until every entry reads.
   *
   * @return the version kept, or -1 when none is consistent (the file is left as it was)
   */
  private static long rollBackToConsistentVersion(Path file) throws IOException {
    // MVStoreTool.rollback writes the rolled-back store next to the file, under this name.
    Path candidate = file.resolveSibling(file.getFileName() + ".temp");
    try {
      long target = Long.MAX_VALUE;
      while (target >= 0) {
        long found = rollback(file, target);
        if (found < 0) {
          return -1;
        }
        if (damageOf(candidate) == null) {
          Files.move(candidate, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return found;
        }
        target = found - 1;
      }
      return -1;
    } finally {
      Files.deleteIfExists(candidate);
    }
  }

  /** The newest version at or below target written to the candidate file, or -1 if none can be. */
  private static long rollback(Path file, long target) {
    try {
      return MVStoreTool.rollback(file.toString(), target, Writer.nullWriter());
    } catch (RuntimeException e) {
      // The tool fails on files it cannot parse at all (e.g. both store headers overwritten).
      System.err.println("embedded-mongo: rolling back failed: " + e);
      return -1;
    }
  }
}
