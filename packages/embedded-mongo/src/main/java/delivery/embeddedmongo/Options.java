package delivery.embeddedmongo;

/** Command-line options of the launcher: {@code --backend memory|h2 --file PATH --host HOST --port N}. */
final class Options {
  static final String USAGE =
      "usage: java -jar embedded-mongo.jar --backend memory|h2 [--file PATH] [--host HOST] [--port N]";

  final String backend;
  final String file;
  final String host;
  final int port;

  private Options(String backend, String file, String host, int port) {
    this.backend = backend;
    this.file = file;
    this.host = host;
    this.port = port;
  }

  static Options parse(String[] argv) {
    String backend = "memory";
    String file = null;
    String host = "127.0.0.1";
    int port = 0;
    for (int i = 0; i < argv.length; i++) {
      String name = argv[i];
      if (i + 1 >= argv.length) {
        throw new IllegalArgumentException("missing value for " + name);
      }
      String value = argv[++i];
      switch (name) {
        case "--backend" -> backend = value;
        case "--file" -> file = value;
        case "--host" -> host = value;
        case "--port" -> port = parsePort(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (!backend.equals("memory") && !backend.equals("h2")) {
      throw new IllegalArgumentException("--backend must be memory or h2, got " + backend);
    }
    if (backend.equals("h2") && (file == null || file.isBlank())) {
      throw new IllegalArgumentException("--backend h2 needs --file");
    }
    return new Options(backend, file, host, port);
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port out of range: " + value);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port is not a number: " + value);
    }
  }
}
