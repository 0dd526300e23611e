import { EVENTS_EXCHANGE } from '@delivery/contracts';
import { authHeaders, testKeys, uniqueName } from '@delivery/testing';
import amqp from 'amqplib';
import mongoose from 'mongoose';
import {
  type BenchContext,
  Completions,
  percentile,
  perSecond,
  runBounded,
  type SystemResult,
} from './measure.js';
import { freePort, ServiceProcesses } from './service-processes.js';

const WORKER_PROCESSES = 2;
const SUCCEEDED = 'jobs.job.succeeded.v1';

/**
 * This service end to end: HTTP enqueue on the API process, dispatch through the broker to two
 * worker processes, and the SUCCESS event published by the outbox relay. A job counts as done when
 * its succeeded event reaches a subscriber, as another service would see it.
 */
export async function benchJobRunner(ctx: BenchContext): Promise<SystemResult> {
  const database = uniqueName('bench_jobs');
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const processes = new ServiceProcesses();
  const mongo = await mongoose.createConnection(ctx.mongoUrl, { dbName: database }).asPromise();
  const subscriber = await amqp.connect(ctx.amqpUrl);
  try {
    const env = {
      MONGO_URL: ctx.mongoUrl,
      MONGO_DB: database,
      AMQP_URL: ctx.amqpUrl,
      LOG_LEVEL: 'silent',
      IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson(),
    };
    const perWorker = Math.max(1, Math.ceil(ctx.concurrency / WORKER_PROCESSES));
    processes.spawn('api', 'main', { ...env, PORT: String(port) });
    for (let worker = 1; worker <= WORKER_PROCESSES; worker += 1) {
      processes.spawn(`worker ${worker}`, 'worker', {
        ...env,
        WORKER_ID: `bench-w${worker}`,
        WORKER_CONCURRENCY: String(perWorker),
      });
    }
    await processes.waitReady(api, 90_000, ctx.signal);

    const done = new Completions(ctx.jobs);
    await subscribeToSucceeded(subscriber, database, done);
    const watchdog = setInterval(() => {
      try {
        processes.assertAlive();
      } catch (error) {
        done.fail(error as Error);
      }
    }, 500);

    try {
      const runId = database;
      const started = performance.now();
      await runBounded(
        ctx.jobs,
        ctx.enqueueInFlight,
        async (index) => {
          const response = await fetch(`${api}/jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...authHeaders() },
            body: JSON.stringify({
              projectId: 'bench',
              stage: '3_build',
              kind: 'noop',
              idempotencyKey: `${runId}-${index}`,
              payload: {},
            }),
          });
          if (response.status !== 201) {
            throw new Error(
              `POST /jobs answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
            );
          }
          await response.arrayBuffer();
        },
        ctx.signal,
      );
      const enqueued = performance.now();
      await done.wait(ctx.timeoutMs, ctx.signal, 'succeeded events');

      const waits = await enqueueToStart(mongo);
      const enqueueRate = perSecond(ctx.jobs, enqueued - started);
      return {
        system: 'job-runner (this service)',
        jobsPerSec: perSecond(ctx.jobs, done.lastAt - started),
        p50Ms: percentile(waits, 50),
        p99Ms: percentile(waits, 99),
        note:
          `1 API + ${WORKER_PROCESSES} worker processes x WORKER_CONCURRENCY=${perWorker}; ` +
          `HTTP enqueue ${Math.round(enqueueRate)}/s with ${ctx.enqueueInFlight} in flight; ` +
          `latency = job_runs.startedAt - createdAt`,
      };
    } finally {
      clearInterval(watchdog);
    }
  } finally {
    await subscriber.close().catch(() => undefined);
    await processes.stop();
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
  }
}

/**
 * A durable quorum queue bound to the events exchange before anything is enqueued. The exchange
 * is declared with exactly the service's arguments, or the broker would refuse the redeclare.
 */
async function subscribeToSucceeded(
  connection: amqp.ChannelModel,
  name: string,
  done: Completions,
): Promise<void> {
  const channel = await connection.createChannel();
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', {
    durable: true,
    alternateExchange: `${EVENTS_EXCHANGE}.unrouted`,
  });
  const queue = `bench.${name}.succeeded`;
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(queue, EVENTS_EXCHANGE, SUCCEEDED);
  await channel.prefetch(500);
  await channel.consume(queue, (message) => {
    if (!message) return;
    const body = JSON.parse(message.content.toString()) as { payload: { jobId: string } };
    done.mark(body.payload.jobId);
    channel.ack(message);
  });
}

/** startedAt − createdAt of every job: both written by the service on this machine's clock. */
async function enqueueToStart(mongo: mongoose.Connection): Promise<number[]> {
  const jobs = await mongo
    .collection('job_runs')
    .find({}, { projection: { createdAt: 1, startedAt: 1 } })
    .toArray();
  return jobs.flatMap((job) =>
    job.startedAt instanceof Date && job.createdAt instanceof Date
      ? [job.startedAt.getTime() - job.createdAt.getTime()]
      : [],
  );
}
