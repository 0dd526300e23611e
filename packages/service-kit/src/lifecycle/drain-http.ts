import type { Server } from 'node:http';

/**
 * Stops accepting connections and waits for in-flight requests. Idle
 * keep-alive sockets are closed as they appear (server.close alone would wait
 * for clients to hang up); whatever is still busy at the deadline is cut.
 * Resolves true when everything finished in time.
 */
export function drainHttp(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve(true);
      return;
    }
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish(false);
    }, timeoutMs);
    function finish(drained: boolean) {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(drained);
    }
    // A response finishing after this point is told to close its connection.
    server.on('request', (_req, res) => {
      res.shouldKeepAlive = false;
    });
    server.close(() => finish(true));
    server.closeIdleConnections();
  });
}
