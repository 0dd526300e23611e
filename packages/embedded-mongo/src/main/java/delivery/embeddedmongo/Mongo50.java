package delivery.embeddedmongo;

import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.ServerVersion;
import java.util.List;

/**
 * MongoDB 5.0 as the driver sees it.
 *
 * <p>mongo-java-server 1.47.0's {@link ServerVersion#MONGO_5_0} reports wire version 8 (that of
 * MongoDB 4.2), which the mongodb 7 driver (mongoose 9) refuses: it needs 9 or more. Real
 * MongoDB 5.0 reports 13, so this keeps the 5.0 version string and reports the matching wire
 * version. The library only uses the version for hello/buildInfo replies.
 */
final class Mongo50 implements MongoVersion {
  static final int WIRE_VERSION = 13;

  @Override
  public List<Integer> getVersionArray() {
    return ServerVersion.MONGO_5_0.getVersionArray();
  }

  @Override
  public int getWireVersion() {
    return Math.max(WIRE_VERSION, ServerVersion.MONGO_5_0.getWireVersion());
  }
}
