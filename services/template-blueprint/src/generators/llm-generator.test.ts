import { setTimeout as sleep } from 'node:timers/promises';
import { createEgressClient, createEgressPolicy, type EgressClient } from '@delivery/service-kit/egress';
import { sendHugeBody } from '@delivery/testing';
import { completion, sendJson, startTestServer, type TestServer } from './fixtures/chat-server.js';
import { webShopInput } from './fixtures/template.js';
import { GenerationError } from './generator.js';
import { createLlmGenerator, type LlmOptions } from './llm-generator.js';
import { createRulesGenerator } from './rules-generator.js';

let server: TestServer;
/** What a well-behaved model would answer: the stages of the rules blueprint. */
let modelAnswer: string;
let flakyDown = true;
/** The worker's egress: the endpoint allowed as configured, loopback explicitly allowed (as in tests). */
let egress: EgressClient;
/** Whether the 10 MB answer was sent whole, or cut off because the generator stopped reading. */
let hugeEnded: Promise<'finished' | 'cut off'> | undefined;

beforeAll(async () => {
  const { blueprint } = await createRulesGenerator().generate(webShopInput(), new AbortController().signal);
  // The model claims another template and generator; the generator must not believe it.
  modelAnswer = JSON.stringify({ templateId: 'other', generator: 'rules', stages: blueprint.stages });
  server = await startTestServer((req, res) => {
    const scenario = req.path.split('/')[1];
    switch (scenario) {
      case 'valid':
        return sendJson(res, 200, completion(modelAnswer));
      case 'fenced':
        return sendJson(res, 200, completion(`\`\`\`json\n${modelAnswer}\n\`\`\``));
      case 'prose':
        return sendJson(res, 200, completion('Here is your blueprint: {"stages": ['));
      case 'truncated':
        return sendJson(res, 200, completion(modelAnswer.slice(0, 200), 'length'));
      case 'wrong-shape': {
        const stages = JSON.parse(modelAnswer).stages;
        stages[3].tasks[0].key = 'Upload App';
        return sendJson(res, 200, completion(JSON.stringify({ stages })));
      }
      case 'not-chat':
        return sendJson(res, 200, { hello: 'world' });
      case 'refusal':
        return sendJson(res, 200, {
          choices: [{ message: { content: null, refusal: 'I cannot help with that' } }],
        });
      case 'bad-request':
        return sendJson(res, 400, { error: { message: 'unknown model' } });
      case 'rate-limited':
        return sendJson(res, 429, { error: { message: 'slow down' } });
      case 'broken':
        return sendJson(res, 500, { error: 'upstream exploded' });
      case 'flaky':
        return flakyDown
          ? sendJson(res, 503, { error: 'maintenance' })
          : sendJson(res, 200, completion(modelAnswer));
      case 'slow':
        return; // never answers
      case 'huge':
        hugeEnded = sendHugeBody(res);
        return;
      default:
        return sendJson(res, 404, {});
    }
  });
  egress = createEgressClient({
    policy: createEgressPolicy({ platformUrls: [server.url], allowPrivate: ['127.0.0.0/8'] }),
    maxBodyBytes: 1024 * 1024,
  });
});

afterAll(async () => {
  await egress.close();
  await server.close();
});

const hits = (scenario: string) => server.requests.filter((r) => r.path.startsWith(`/${scenario}/`)).length;

const generatorFor = (scenario: string, options: Partial<LlmOptions> = {}) =>
  createLlmGenerator({
    baseUrl: `${server.url}/${scenario}/`,
    model: 'gpt-test',
    timeoutMs: 5_000,
    egress,
    ...options,
  });

const run = (scenario: string, options?: Partial<LlmOptions>) =>
  generatorFor(scenario, options).generate(webShopInput(), new AbortController().signal);

describe('llm generator', () => {
  it('posts an OpenAI-style request and returns the validated blueprint', async () => {
    const { blueprint, rawOutput } = await run('valid', { apiKey: 'sk-test' });
    expect(rawOutput).toBe(modelAnswer);
    expect(blueprint).toMatchObject({ templateId: 'tpl-web-shop', templateVersion: 3, generator: 'llm' });
    expect(blueprint.stages).toHaveLength(7);
    // What the pipeline enforces comes from the template, not from the model.
    expect(blueprint.requiredArtifacts.map((a) => a.name)).toEqual([
      'app.zip',
      'sbom.json',
      'Release notes.md',
    ]);
    expect(blueprint.requiredInputs).toHaveLength(6);

    const sent = server.requests.find((r) => r.path.startsWith('/valid/'));
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/valid/chat/completions',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    });
    const body = JSON.parse(sent?.body ?? '{}');
    expect(body).toMatchObject({
      model: 'gpt-test',
      response_format: { type: 'json_object' },
      temperature: 0,
    });
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[1].content).toContain('"name":"Web shop launch"');
    expect(body.messages[1].content).toContain('"key":"company_name"');
    expect(body.messages[1].content).toContain('0_sales (0)');
  });

  it('sends no Authorization header without an api key', async () => {
    await run('valid');
    expect(
      server.requests.filter((r) => r.path.startsWith('/valid/')).at(-1)?.headers.authorization,
    ).toBeUndefined();
  });

  it('accepts JSON wrapped in a code fence', async () => {
    const { blueprint, rawOutput } = await run('fenced');
    expect(blueprint.stages[1]?.tasks[0]?.key).toBe('provide-company_name');
    expect(rawOutput.startsWith('```json')).toBe(true);
  });

  it('fails with invalid_output and keeps the raw text when the answer is not JSON', async () => {
    const failure = run('prose');
    await expect(failure).rejects.toBeInstanceOf(GenerationError);
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_output',
      retryable: false,
      rawOutput: 'Here is your blueprint: {"stages": [',
      message: expect.stringContaining('not valid JSON'),
    });
    await expect(run('truncated')).rejects.toMatchObject({
      code: 'invalid_output',
      message: expect.stringContaining('cut off at the token limit'),
    });
  });

  it('fails with invalid_output naming the issue path when the JSON is not a blueprint', async () => {
    await expect(run('wrong-shape')).rejects.toMatchObject({
      code: 'invalid_output',
      retryable: false,
      message: expect.stringContaining('stages.3.tasks.0.key'),
      rawOutput: expect.stringContaining('Upload App'),
    });
    await expect(run('not-chat')).rejects.toMatchObject({
      code: 'invalid_output',
      rawOutput: '{"hello":"world"}',
    });
    await expect(run('refusal')).rejects.toMatchObject({
      code: 'invalid_output',
      message: 'the model refused: I cannot help with that',
    });
  });

  it('fails with generator_rejected on a 4xx, and such errors do not open the breaker', async () => {
    const generator = generatorFor('bad-request', { breaker: { volumeThreshold: 2 } });
    for (let i = 0; i < 4; i += 1) {
      await expect(generator.generate(webShopInput(), new AbortController().signal)).rejects.toMatchObject({
        code: 'generator_rejected',
        retryable: false,
        message: expect.stringContaining('HTTP 400: {"error":{"message":"unknown model"}}'),
      });
    }
    expect(hits('bad-request')).toBe(4);
  });

  it('treats 429 and 5xx as retryable generator_error', async () => {
    await expect(run('rate-limited')).rejects.toMatchObject({ code: 'generator_error', retryable: true });
    await expect(run('broken')).rejects.toMatchObject({
      code: 'generator_error',
      retryable: true,
      message: expect.stringContaining('HTTP 500'),
    });
  });

  it('fails with generator_timeout when the endpoint does not answer in time', async () => {
    const started = Date.now();
    await expect(run('slow', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'generator_timeout',
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('surfaces an abort of the run itself rather than a generation error', async () => {
    const controller = new AbortController();
    const pending = generatorFor('slow').generate(webShopInput(), controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('opens the breaker after repeated failures, fails fast while open, and closes again', async () => {
    const resetTimeoutMs = 1_000;
    const generator = generatorFor('flaky', {
      breaker: { resetTimeoutMs, volumeThreshold: 3, errorThresholdPercentage: 50 },
    });
    const attempt = () => generator.generate(webShopInput(), new AbortController().signal);

    let codes: string[] = [];
    for (let i = 0; i < 10 && !codes.includes('generator_unavailable'); i += 1) {
      codes = [
        ...codes,
        await attempt().then(
          () => 'ok',
          (err: GenerationError) => err.code,
        ),
      ];
    }
    expect(codes.at(-1)).toBe('generator_unavailable');
    expect(codes.slice(0, -1).every((c) => c === 'generator_error')).toBe(true);

    const callsWhenOpened = hits('flaky');
    await expect(attempt()).rejects.toMatchObject({ code: 'generator_unavailable', retryable: true });
    expect(hits('flaky')).toBe(callsWhenOpened);

    flakyDown = false;
    await sleep(resetTimeoutMs * 2.5);
    await expect(attempt()).resolves.toMatchObject({ blueprint: { generator: 'llm' } });
    await expect(attempt()).resolves.toMatchObject({ blueprint: { generator: 'llm' } });
    expect(hits('flaky')).toBe(callsWhenOpened + 2);
  });
});

describe('llm generator egress', () => {
  it('refuses an endpoint on loopback unless explicitly allowed, without calling it or opening the breaker', async () => {
    const strict = createEgressClient({
      policy: createEgressPolicy({ platformUrls: [server.url] }),
      maxBodyBytes: 1024 * 1024,
    });
    const generator = generatorFor('valid', { egress: strict, breaker: { volumeThreshold: 2 } });
    const before = hits('valid');
    for (let i = 0; i < 4; i += 1) {
      await expect(generator.generate(webShopInput(), new AbortController().signal)).rejects.toMatchObject({
        code: 'generator_rejected',
        retryable: false,
        message: 'egress refused: 127.0.0.1 (loopback) for host 127.0.0.1; allow it in EGRESS_ALLOW_PRIVATE',
      });
    }
    expect(hits('valid')).toBe(before);
    await strict.close();
  });

  it('fails a 10 MB answer as invalid_output without reading past the cap', async () => {
    await expect(run('huge')).rejects.toMatchObject({
      code: 'invalid_output',
      retryable: false,
      message: `response body over ${1024 * 1024} bytes from ${server.url}/huge/chat/completions`,
    });
    await expect(hugeEnded).resolves.toBe('cut off');
  });
});
