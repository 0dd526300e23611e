import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

/**
 * Stands in for a team's external executor (the `http` job kind's target): a real HTTP server
 * that counts how many times each job reached it, so a test can prove "exactly once".
 */
export class CountingExecutor {
  readonly calls = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const id = decodeURIComponent(request.url?.split('/').pop() ?? '');
      this.calls.set(id, (this.calls.get(id) ?? 0) + 1);
      request.resume();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 'succeeded', result: { id } }));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
