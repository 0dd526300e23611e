import { MongoBackend } from '@agendajs/mongo-backend';
import { mongoUrlForDatabase, uniqueName } from '@delivery/testing';
import { Agenda } from 'agenda';
import mongoose from 'mongoose';
import {
  type BenchContext,
  Completions,
  percentile,
  perSecond,
  runBounded,
  type SystemResult,
} from './measure.js';

/** Agenda's poll interval. Its default (5 s) would measure the poll, not the queue. */
export const AGENDA_PROCESS_EVERY_MS = 100;
const JOB = 'bench-noop';

/**
 * Agenda 6 with its MongoDB backend on the same Mongo server (a private database), in this
 * process. No notification channel (the Mongo change-stream one needs a replica set), so new
 * jobs are found by polling every AGENDA_PROCESS_EVERY_MS.
 */
export async function benchAgenda(ctx: BenchContext): Promise<SystemResult> {
  const database = uniqueName('bench_agenda');
  const agenda = new Agenda({
    backend: new MongoBackend({ address: mongoUrlForDatabase(ctx.mongoUrl, database) }),
    processEvery: AGENDA_PROCESS_EVERY_MS,
    maxConcurrency: ctx.concurrency,
    defaultConcurrency: ctx.concurrency,
  });
  const done = new Completions(ctx.jobs);
  const waits: number[] = [];
  // Without a listener an 'error' event would crash the bench; it makes this row fail instead.
  agenda.on('error', (error) => done.fail(error));
  agenda.on(`fail:${JOB}`, (error: Error | string) => done.fail(new Error(`job failed: ${String(error)}`)));
  agenda.on(`success:${JOB}`, (job) => {
    if (!('attrs' in job)) return;
    const { lastRunAt, data } = job.attrs;
    if (lastRunAt) waits.push(new Date(lastRunAt).getTime() - (data as { enqueuedAt: number }).enqueuedAt);
    done.mark(String(job.attrs._id));
  });
  agenda.define(JOB, async () => {});

  let started = false;
  try {
    await agenda.start();
    started = true;
    const first = performance.now();
    await runBounded(
      ctx.jobs,
      ctx.enqueueInFlight,
      () => agenda.now(JOB, { enqueuedAt: Date.now() }),
      ctx.signal,
    );
    const enqueued = performance.now();
    await done.wait(ctx.timeoutMs, ctx.signal, 'jobs completed');
    return {
      system: 'Agenda 6 (MongoDB backend)',
      jobsPerSec: perSecond(ctx.jobs, done.lastAt - first),
      p50Ms: percentile(waits, 50),
      p99Ms: percentile(waits, 99),
      note:
        `processEvery ${AGENDA_PROCESS_EVERY_MS} ms, maxConcurrency=defaultConcurrency=${ctx.concurrency}; ` +
        `now() ${Math.round(perSecond(ctx.jobs, enqueued - first))}/s with ${ctx.enqueueInFlight} in flight; ` +
        'latency = lastRunAt - enqueue time',
    };
  } finally {
    if (started) await agenda.stop(true).catch(() => undefined);
    await dropDatabase(ctx.mongoUrl, database);
  }
}

async function dropDatabase(mongoUrl: string, database: string): Promise<void> {
  const connection = await mongoose.createConnection(mongoUrl, { dbName: database }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}
