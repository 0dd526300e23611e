/**
 * `npm start`: the whole system on this machine. MongoDB and RabbitMQ are resolved the same way
 * the tests resolve them (env, then Docker, then the embedded store / local broker); the embedded
 * store keeps its data under .data/ across restarts, and is restarted when it dies (or, when it
 * cannot be, everything stops). Ctrl-C (or SIGTERM) stops everything gracefully, the store last.
 */
import { join } from 'node:path';
import { resolveAmqp, resolveMongo } from '@delivery/testing';
import { identityEnv, localIdentityKeys } from './local-identity.js';
import { processes } from './processes.js';
import { log, Supervisor } from './supervisor.js';
import { buildWebApp } from './web-build.js';

// What has started, stopped in reverse order: the services before the broker and the store.
const started: { stop(): Promise<void> }[] = [];
let stopping: Promise<void> | undefined;

function stop(exitCode: number): Promise<never> {
  stopping ??= (async () => {
    log('stopping');
    for (const part of started.toReversed()) await part.stop();
    log('stopped');
    process.exit(exitCode);
  })();
  return stopping as Promise<never>;
}

/** A start that cannot happen says why in one message, not a stack trace. */
function failedToStart(error: unknown): Promise<never> {
  log(error instanceof Error ? error.message : String(error));
  return stop(1);
}

// Installed first, so a Ctrl-C while things start also stops what has started.
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

// The gateway serves the web app from its build: made fresh on every start (a few seconds).
await buildWebApp().catch(failedToStart);
log('web app built (services/web/dist), served by the gateway at /');

// Created on the first start, reused after: tokens from `npm run token` stay valid across restarts.
const identityKeys = await Promise.resolve().then(localIdentityKeys).catch(failedToStart);
log(`identity keys: ${identityKeys.publicKeysFile} (npm run token -- --roles admin prints a token)`);

// DATA_DIR moves the embedded store's file (default: .data/ at the repository root).
const dataDir = process.env.DATA_DIR;
const mongo = await resolveMongo({
  purpose: 'dev',
  dataFile: dataDir ? join(dataDir, 'mongo.h2') : undefined,
  supervise: {
    log,
    onGiveUp: (error) => {
      log(`MongoDB is gone and cannot be brought back: ${error.message}\nstopping everything`);
      void stop(1);
    },
  },
}).catch(failedToStart);
started.push(mongo);
const amqp = await resolveAmqp().catch(failedToStart);
started.push(amqp);
log(`MongoDB (${mongo.kind}): ${mongo.url}`);
log(`RabbitMQ (${amqp.kind}): ${amqp.url.replace(/\/\/[^@]*@/, '//***@')}`);

const supervisor = new Supervisor({ MONGO_URL: mongo.url, AMQP_URL: amqp.url }, (name) => {
  log(`${name} keeps crashing; stopping everything`);
  void stop(1);
});
started.push(supervisor);
for (const spec of processes) {
  supervisor.start({ ...spec, env: { ...identityEnv(identityKeys, spec.service), ...spec.env } });
}
log(`started ${processes.map((spec) => spec.name).join(', ')}`);
