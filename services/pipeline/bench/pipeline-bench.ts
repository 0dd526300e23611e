// `npm run bench:pipeline -- --projects 200`: P projects through all seven stages with trivial job
// handlers and no gates, every service its own process. Prints projects/s and the orchestration
// latency (a stage's job finished → the next stage's job enqueued), beside the job-runner's own
// jobs/s measured in the same run on the same system. Asserts nothing.
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { authHeaders, resolveAmqp, resolveMongo } from '@delivery/testing';
import { SYSTEM_PROCESSES, SystemEnv } from '../../../test/system/system-env.js';
import { runProjects } from './drive-projects.js';
import { noopJobsPerSec } from './noop-jobs.js';

const { values: args } = parseArgs({
  options: {
    projects: { type: 'string', short: 'p' },
    'in-flight': { type: 'string' },
    /** Writes a V8 CPU profile of every service process under this folder (open in Chrome DevTools). */
    'cpu-prof': { type: 'string' },
  },
});
const projects = Number(args.projects ?? process.env.BENCH_PROJECTS ?? 200);
const inFlight = Number(args['in-flight'] ?? 50);
if (!Number.isInteger(projects) || projects < 1 || !Number.isInteger(inFlight) || inFlight < 1) {
  process.stderr.write(
    'usage: npm run bench:pipeline -- [--projects P (200)] [--in-flight N (50)] [--cpu-prof DIR]\n',
  );
  process.exit(2);
}

const mongo = await resolveMongo({ purpose: 'test' });
const broker = await resolveAmqp();
process.env.MONGO_URL = mongo.url;
process.env.AMQP_URL = broker.url;
process.env.LOG_LEVEL ??= 'warn';
const env = await SystemEnv.create();
let exitCode = 0;
try {
  const urls = await env.start(
    withProfiles(args['cpu-prof'], { 'job-runner-worker': { WORKER_CONCURRENCY: 32 } }),
    { 'job-runner-worker': 'bench/trivial-stage-worker.ts' },
  );
  process.stderr.write(`system up; driving ${projects} projects (${inFlight} at a time)\n`);
  const run = await runProjects(env, urls, projects, inFlight, authHeaders());
  process.stderr.write('measuring the job-runner alone (noop jobs) ...\n');
  const baseline = await noopJobsPerSec(urls.jobRunner, 3 * projects, inFlight);
  const pipelineJobsPerSec = (3 * projects) / run.seconds;
  const rows = [
    ['projects', String(projects)],
    ['projects/s (create → 6_complete, all)', (projects / run.seconds).toFixed(1)],
    ['orchestration latency p50 (job done → next job enqueued)', `${run.latencyMs.p50.toFixed(0)} ms`],
    ['orchestration latency p99', `${run.latencyMs.p99.toFixed(0)} ms`],
    ['stage jobs/s through the pipeline', pipelineJobsPerSec.toFixed(1)],
    ['job-runner alone, noop jobs/s (same run)', baseline.toFixed(1)],
    ['pipeline jobs/s ÷ job-runner alone', (pipelineJobsPerSec / baseline).toFixed(2)],
  ];
  const width = Math.max(...rows.map(([name]) => name?.length ?? 0));
  process.stdout.write(`${rows.map(([name, value]) => `${name?.padEnd(width)}  ${value}`).join('\n')}\n`);
} catch (error) {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  exitCode = 1;
} finally {
  // A profile is written when its process exits by itself: SIGTERM first (close() SIGKILLs).
  if (args['cpu-prof']) await Promise.all([...env.processes.values()].map(stopGracefully));
  await env.close();
  await broker.stop();
  await mongo.stop();
}
process.exit(exitCode);

/** With a folder, every process writes its CPU profile into a subfolder named after it when it exits. */
function withProfiles(
  folder: string | undefined,
  extra: Record<string, Record<string, string | number>>,
): Record<string, Record<string, string | number>> {
  if (!folder) return extra;
  return Object.fromEntries(
    SYSTEM_PROCESSES.map((name) => [
      name,
      { ...extra[name], NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(folder, name)}` },
    ]),
  );
}

function stopGracefully(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}
