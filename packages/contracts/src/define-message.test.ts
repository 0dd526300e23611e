import { z } from 'zod';
import { defineCommand, defineEvent } from './define-message.js';
import { parseRoutingKey, routingKey } from './routing-key.js';

const jobSucceeded = defineEvent({
  service: 'jobs',
  entity: 'job',
  event: 'succeeded',
  version: 1,
  payload: z.object({ jobId: z.string(), attempts: z.number().int() }),
});

describe('routing keys', () => {
  test('follow <service>.<entity>.<event>.v<N> and parse back', () => {
    expect(jobSucceeded.routingKey).toBe('jobs.job.succeeded.v1');
    expect(parseRoutingKey('jobs.job.succeeded.v1')).toEqual({
      service: 'jobs',
      entity: 'job',
      event: 'succeeded',
      version: 1,
    });
  });

  test('reject malformed segments and versions', () => {
    expect(() => routingKey({ service: 'Jobs', entity: 'job', event: 'x', version: 1 })).toThrow(/service/);
    expect(() => routingKey({ service: 'jobs', entity: 'job', event: 'x', version: 0 })).toThrow(/version/);
    expect(parseRoutingKey('jobs.job.succeeded')).toBeUndefined();
    expect(parseRoutingKey('jobs.job.succeeded.v0')).toBeUndefined();
  });
});

describe('defineEvent', () => {
  test('creates a valid envelope with its own id as correlation root', () => {
    const message = jobSucceeded.create({ jobId: 'j1', attempts: 2 });
    expect(message.type).toBe('jobs.job.succeeded.v1');
    expect(message.version).toBe(1);
    expect(message.correlationId).toBe(message.id);
    expect(jobSucceeded.parse(JSON.parse(JSON.stringify(message)))).toEqual(message);
  });

  test('keeps a given correlation id', () => {
    expect(jobSucceeded.create({ jobId: 'j1', attempts: 1 }, { correlationId: 'req-7' }).correlationId).toBe(
      'req-7',
    );
  });

  test('rejects a payload or envelope that breaks the schema, naming the path', () => {
    expect(() => jobSucceeded.create({ jobId: 'j1', attempts: 1.5 })).toThrow(/attempts/);
    const wrongType = { ...jobSucceeded.create({ jobId: 'j1', attempts: 1 }), type: 'jobs.job.failed.v1' };
    const result = jobSucceeded.schema.safeParse(wrongType);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain('type');
  });
});

describe('defineCommand', () => {
  test('targets the owning service queue', () => {
    const enqueue = defineCommand({
      queue: 'job-runner.enqueue',
      version: 1,
      payload: z.object({ kind: z.string() }),
    });
    expect(enqueue.queue).toBe('job-runner.enqueue');
    expect(enqueue.create({ kind: 'build' }).type).toBe('job-runner.enqueue');
  });

  test('rejects a queue name without an owner', () => {
    expect(() => defineCommand({ queue: 'enqueue', version: 1, payload: z.object({}) })).toThrow(/queue/);
  });
});
