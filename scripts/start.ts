/**
 * `npm start`: the whole system on this machine. MongoDB and RabbitMQ are resolved the same way
 * the tests resolve them (env, then Docker, then the embedded store / local broker); the embedded
 * store keeps its data under .data/ across restarts. Ctrl-C (or SIGTERM) stops everything.
 */
import { join } from 'node:path';
import { resolveAmqp, resolveMongo } from '@delivery/testing';
import { processes } from './processes.js';
import { log, Supervisor } from './supervisor.js';

// DATA_DIR moves the embedded store's file (default: .data/ at the repository root).
const dataDir = process.env.DATA_DIR;
const mongo = await resolveMongo({
  purpose: 'dev',
  dataFile: dataDir ? join(dataDir, 'mongo.h2') : undefined,
});
const amqp = await resolveAmqp();
log(`MongoDB (${mongo.kind}): ${mongo.url}`);
log(`RabbitMQ (${amqp.kind}): ${amqp.url.replace(/\/\/[^@]*@/, '//***@')}`);

let stopping: Promise<void> | undefined;
const supervisor = new Supervisor({ MONGO_URL: mongo.url, AMQP_URL: amqp.url }, (name) => {
  log(`${name} keeps crashing; stopping everything`);
  void stop(1);
});

function stop(exitCode: number): Promise<void> {
  stopping ??= (async () => {
    log('stopping');
    await supervisor.stop();
    await amqp.stop();
    await mongo.stop();
    log('stopped');
    process.exit(exitCode);
  })();
  return stopping;
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

for (const spec of processes) supervisor.start(spec);
log(`started ${processes.map((spec) => spec.name).join(', ')}`);
