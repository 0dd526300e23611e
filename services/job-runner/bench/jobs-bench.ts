// `npm run bench:jobs -- --jobs 5000 --concurrency 32`: this service against a bare amqplib loop
// (the ceiling), Agenda and BullMQ, in one run on one machine. Prints speed; asserts nothing.
import { parseArgs } from 'node:util';
import { createIsolatedVhost, resolveAmqp, resolveMongo } from '@delivery/testing';
import { benchAgenda } from './agenda-bench.js';
import { benchAmqpCeiling } from './amqp-ceiling-bench.js';
import { benchBullmq } from './bullmq-bench.js';
import { benchJobRunner } from './job-runner-bench.js';
import { type BenchContext, errorMessage, type SystemResult } from './measure.js';
import { describeMachine, formatTable, type Row } from './report.js';

const USAGE = `usage: npm run bench:jobs -- [--jobs N] [--concurrency C] [--in-flight E] [--timeout-s S]
  --jobs, -n         jobs per system (env BENCH_JOBS, default 5000)
  --concurrency, -c  jobs running at once per system (env BENCH_CONCURRENCY, default 32)
  --in-flight        enqueue calls in flight where enqueueing is one call per job (default 64)
  --timeout-s        seconds one system may take before its row reads "failed" (default 600)
  env REDIS_URL      Redis for BullMQ (default redis://127.0.0.1:6379)`;

const SYSTEMS: { name: string; run: (ctx: BenchContext) => Promise<SystemResult> }[] = [
  { name: 'job-runner (this service)', run: benchJobRunner },
  { name: 'amqplib confirm/ack (ceiling)', run: benchAmqpCeiling },
  { name: 'Agenda 6 (MongoDB backend)', run: benchAgenda },
  { name: 'BullMQ 6 (Redis)', run: benchBullmq },
];

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`${name} must be a positive integer, got "${raw}"\n${USAGE}\n`);
    process.exit(2);
  }
  return value;
}

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', short: 'n' },
    concurrency: { type: 'string', short: 'c' },
    'in-flight': { type: 'string' },
    'timeout-s': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const jobs = positiveInt('--jobs', args.jobs ?? process.env.BENCH_JOBS, 5_000);
const concurrency = positiveInt('--concurrency', args.concurrency ?? process.env.BENCH_CONCURRENCY, 32);
const enqueueInFlight = positiveInt('--in-flight', args['in-flight'], 64);
const timeoutMs = positiveInt('--timeout-s', args['timeout-s'], 600) * 1000;

// Ctrl-C makes the waits give up, so every system's finally (processes, queues, databases) runs.
const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write(`\n${signal}: stopping and cleaning up (again to quit at once)\n`);
    abort.abort();
  });
}

const mongo = await resolveMongo({ purpose: 'test' });
const rows: Row[] = [];
let exitCode = 0;
try {
  const broker = await resolveAmqp();
  const vhost = await createIsolatedVhost(broker.url, 'bench');
  try {
    const machine = await describeMachine(`${mongo.kind} (${mongo.url})`);
    process.stdout.write(
      `${['job queue benchmark', ...machine, `jobs:    N=${jobs}, C=${concurrency}`].join('\n')}\n\n`,
    );
    const ctx: BenchContext = {
      jobs,
      concurrency,
      enqueueInFlight,
      amqpUrl: vhost.url,
      mongoUrl: mongo.url,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      timeoutMs,
      signal: abort.signal,
    };
    for (const system of SYSTEMS) {
      if (abort.signal.aborted) break;
      process.stderr.write(`running ${system.name} ...\n`);
      const row: Row = await system.run(ctx).catch((error: unknown) => ({
        system: system.name,
        failed: errorMessage(error),
      }));
      process.stderr.write(
        `  ${'failed' in row ? `failed: ${row.failed}` : `${row.jobsPerSec.toFixed(0)} jobs/s`}\n`,
      );
      rows.push(row);
    }
    process.stdout.write(`${formatTable(rows, rows[0])}\n`);
    // Without this service's row there is nothing to compare against; other rows may fail alone.
    if (!rows[0] || 'failed' in rows[0]) exitCode = 1;
  } finally {
    await vhost
      .delete()
      .catch((error: unknown) => process.stderr.write(`vhost not deleted: ${errorMessage(error)}\n`));
    await broker.stop();
  }
} catch (error) {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  exitCode = 1;
} finally {
  await mongo.stop();
}
// Client libraries may leave timers behind after closing; the figures are printed, so leave.
process.exit(abort.signal.aborted ? 130 : exitCode);
