import type { ServerResponse } from 'node:http';
import {
  completion,
  sendJson,
  startTestServer,
  type TestServer,
} from '../src/generators/fixtures/chat-server.js';
import { createRulesGenerator } from '../src/generators/rules-generator.js';
import { sampleTemplate } from './harness.js';

export type LlmMode = 'valid' | 'invalid-json' | 'error500' | 'hang' | 'slow-valid';

/**
 * An OpenAI-compatible chat-completions endpoint we do not run in production, served for real
 * over HTTP so the worker process talks to it exactly as it would to a provider.
 */
export class FakeLlm {
  mode: LlmMode = 'valid';
  private server: TestServer | undefined;
  private answer = '';
  private readonly held = new Set<ServerResponse>();

  get url(): string {
    return this.server?.url ?? '';
  }

  get calls(): number {
    return this.server?.requests.length ?? 0;
  }

  async start(): Promise<this> {
    const template = sampleTemplate();
    const { blueprint } = await createRulesGenerator().generate(
      {
        templateId: 't',
        templateVersion: 1,
        name: template.name,
        description: template.description,
        content: template.content as never,
      },
      new AbortController().signal,
    );
    this.answer = JSON.stringify({ stages: blueprint.stages });
    this.server = await startTestServer((_req, res) => this.respond(res));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    await this.server?.close();
  }

  private respond(res: ServerResponse): void {
    if (this.mode === 'hang') {
      this.held.add(res);
      return;
    }
    if (this.mode === 'slow-valid') {
      setTimeout(() => sendJson(res, 200, completion(this.answer)), 4_000).unref();
      return;
    }
    const replies = {
      valid: [200, completion(this.answer)],
      'invalid-json': [200, completion('Sure! Here is the blueprint: {"stages": [ ... ]')],
      error500: [500, { error: { message: 'overloaded' } }],
    } as const;
    const [status, body] = replies[this.mode];
    sendJson(res, status, body);
  }
}
