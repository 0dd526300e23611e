import { z } from 'zod';
import { baseConfigSchema, inputLimits } from './base-schema.js';
import { loadConfig, parseConfig } from './load-config.js';

const validEnv = {
  SERVICE_NAME: 'svc',
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function captureIo() {
  const lines: string[] = [];
  return {
    lines,
    io: {
      write: (line: string) => lines.push(line),
      exit: (code: number): never => {
        throw new Exited(code);
      },
    },
  };
}

describe('loadConfig', () => {
  it('applies defaults and coerces the port', () => {
    const config = loadConfig(baseConfigSchema, { ...validEnv, PORT: '8080' });
    expect(config).toMatchObject({ PORT: 8080, LOG_LEVEL: 'info', SERVICE_NAME: 'svc' });
    expect(loadConfig(baseConfigSchema, validEnv).PORT).toBe(3000);
  });

  it('prints one line per bad variable, naming it, and exits 1', () => {
    const { lines, io } = captureIo();
    const env = { ...validEnv, PORT: 'abc', LOG_LEVEL: 'loud', MONGO_URL: undefined };
    expect(() => loadConfig(baseConfigSchema, env, io)).toThrow(new Exited(1));
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('PORT'))).toMatch(/PORT is invalid: must be a port number/);
    expect(lines.find((l) => l.includes('LOG_LEVEL'))).toMatch(/LOG_LEVEL is invalid/);
    expect(lines.find((l) => l.includes('MONGO_URL'))).toBe('config: MONGO_URL is required');
  });

  it('rejects an empty or out-of-range port instead of coercing it', () => {
    for (const PORT of ['', '70000', '-1', '3.5']) {
      const result = parseConfig(baseConfigSchema, { ...validEnv, PORT });
      expect(result.ok).toBe(false);
    }
  });

  it('never echoes the value of a bad variable', () => {
    const result = parseConfig(baseConfigSchema, { ...validEnv, AMQP_URL: 'http://user:s3cret@host' });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('reads the HTTP input limits, with defaults, and refuses a bound below 1', () => {
    const config = loadConfig(baseConfigSchema, { ...validEnv, HTTP_BODY_MAX_DEPTH: '16' });
    expect(inputLimits(config)).toEqual({
      maxBodyBytes: 1_048_576,
      maxDepth: 16,
      maxArrayLength: 10_000,
      maxStringLength: 100_000,
      maxObjectKeys: 1_000,
      maxQueryParams: 100,
    });
    const result = parseConfig(baseConfigSchema, {
      ...validEnv,
      HTTP_BODY_MAX_BYTES: '0',
      HTTP_QUERY_MAX_PARAMS: 'x',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(/^config: HTTP_BODY_MAX_BYTES is invalid/),
        expect.stringMatching(/^config: HTTP_QUERY_MAX_PARAMS is invalid/),
      ],
    });
  });

  it('lets services extend the base schema', () => {
    const schema = baseConfigSchema.extend({ WORKERS: z.coerce.number().int().positive() });
    const result = parseConfig(schema, { ...validEnv, WORKERS: '0' });
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(/^config: WORKERS is invalid/)] });
  });
});
