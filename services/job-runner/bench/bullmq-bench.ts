import { uniqueName } from '@delivery/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type BenchContext, Completions, percentile, perSecond, type SystemResult } from './measure.js';

const ADD_CHUNK = 500;

/** BullMQ 6 on Redis, in this process: addBulk in chunks, one Worker with concurrency C. */
export async function benchBullmq(ctx: BenchContext): Promise<SystemResult> {
  const name = uniqueName('bench');
  // A worker's blocking connection must retry forever; BullMQ duplicates this one for it.
  const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  await connection.connect();
  const queue = new Queue(name, { connection });
  let worker: Worker | undefined;
  try {
    const done = new Completions(ctx.jobs);
    const waits: number[] = [];
    worker = new Worker(name, async () => undefined, { connection, concurrency: ctx.concurrency });
    worker.on('completed', (job) => {
      if (job.processedOn !== undefined) waits.push(job.processedOn - job.timestamp);
      done.mark(job.id ?? '');
    });
    worker.on('failed', (_job, error) => done.fail(error));
    worker.on('error', (error) => done.fail(error));
    await worker.waitUntilReady();

    const first = performance.now();
    for (let start = 0; start < ctx.jobs; start += ADD_CHUNK) {
      ctx.signal.throwIfAborted();
      const size = Math.min(ADD_CHUNK, ctx.jobs - start);
      await queue.addBulk(
        Array.from({ length: size }, (_, offset) => ({ name: 'noop', data: { n: start + offset } })),
      );
    }
    const enqueued = performance.now();
    await done.wait(ctx.timeoutMs, ctx.signal, 'jobs completed');

    const redisVersion = /redis_version:(\S+)/.exec(await connection.info('server'))?.[1] ?? '?';
    return {
      system: 'BullMQ 6 (Redis)',
      jobsPerSec: perSecond(ctx.jobs, done.lastAt - first),
      p50Ms: percentile(waits, 50),
      p99Ms: percentile(waits, 99),
      note:
        `Redis ${redisVersion}, Worker concurrency ${ctx.concurrency}; addBulk x${ADD_CHUNK} ` +
        `${Math.round(perSecond(ctx.jobs, enqueued - first))}/s; latency = processedOn - timestamp`,
    };
  } finally {
    await worker?.close(true).catch(() => undefined);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    connection.disconnect();
  }
}
