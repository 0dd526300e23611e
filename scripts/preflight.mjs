// What `npm start` and `npm test` run first: checks, in well under a second, that this machine has
// what they need, and stops them naming each missing piece with the command that installs it,
// before anything builds or a test starts (a missing Chromium used to fail after minutes of tests).
//
//   node scripts/preflight.mjs start|test
//
// Plain JavaScript on purpose: it must run before `npm ci` (no tsx yet) and on an old node (to
// say that Node 24 is missing). Its types are in preflight.d.mts.
import { accessSync, constants, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one command that installs everything missing (see README, "Run it"). */
export const SETUP_COMMAND = 'scripts/setup.sh';

/** The browser tests drive this binary (test/system/browser.ts): Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

const LOCAL_BROKER = { host: '127.0.0.1', port: 5672 };
const MIN_NODE_MAJOR = 24;

/**
 * Every missing prerequisite for `purpose` ('start' or 'test'); none means it may run.
 * The probes are passed in so a test can describe any machine.
 * @param {'start' | 'test'} purpose
 * @param {import('./preflight.d.mts').Probes} probes
 * @returns {Promise<import('./preflight.d.mts').Missing[]>}
 */
export async function findMissing(purpose, probes) {
  const { env } = probes;
  const missing = [];
  const nodeMajor = Number(probes.nodeVersion.replace(/^v/, '').split('.')[0]);
  if (!(nodeMajor >= MIN_NODE_MAJOR)) {
    missing.push({
      prerequisite: `Node.js ${MIN_NODE_MAJOR} or newer`,
      problem: `this node is ${probes.nodeVersion}`,
      fix: SETUP_COMMAND,
    });
  }

  const dependencies = probes.dependenciesProblem();
  if (dependencies) {
    missing.push({
      prerequisite: 'the npm packages',
      problem: dependencies,
      fix: `${SETUP_COMMAND} (or npm ci)`,
    });
  }

  // Docker is asked only when something else is missing: with it, the tests start containers.
  let docker;
  const dockerAnswers = async () => {
    docker ??= probes.dockerAnswers();
    return docker;
  };

  // The broker: AMQP_URL, else a container, else the local one (started on demand when installed).
  if (
    !env.AMQP_URL &&
    !(await probes.portOpen(LOCAL_BROKER.host, LOCAL_BROKER.port)) &&
    !probes.commandExists('rabbitmq-server') &&
    !(await dockerAnswers())
  ) {
    missing.push({
      prerequisite: 'RabbitMQ',
      problem: `nothing answers on ${LOCAL_BROKER.host}:${LOCAL_BROKER.port}, rabbitmq-server is not installed, AMQP_URL is not set and no Docker engine answers`,
      fix: `${SETUP_COMMAND} (or set AMQP_URL)`,
    });
  }

  // MongoDB: MONGO_URL, else a container, else the embedded store, which runs on Java and is built
  // with Maven (needed only until its jar exists).
  if (!env.MONGO_URL) {
    const lacking = [
      ...(probes.commandExists('java') ? [] : ['java']),
      ...(probes.commandExists('mvn') || probes.fileExists(probes.embeddedStoreJar) ? [] : ['mvn']),
    ];
    if (lacking.length > 0 && !(await dockerAnswers())) {
      missing.push({
        prerequisite: 'Java 17 and Maven (for the embedded MongoDB store)',
        problem: `${lacking.join(' and ')} not found, MONGO_URL is not set and no Docker engine answers`,
        fix: `${SETUP_COMMAND} (or set MONGO_URL)`,
      });
    }
  }

  if (purpose === 'test' && !probes.fileExists(CHROMIUM)) {
    missing.push({
      prerequisite: 'Chromium (for the browser tests)',
      problem: `${CHROMIUM} is missing`,
      fix: SETUP_COMMAND,
    });
  }
  return missing;
}

/**
 * What the person reads: each missing prerequisite, why, and the command that installs it.
 * @param {'start' | 'test'} purpose
 * @param {import('./preflight.d.mts').Missing[]} missing
 */
export function report(purpose, missing) {
  const lines = missing.map((item) => `  - ${item.prerequisite}: ${item.problem}.\n    Install: ${item.fix}`);
  return [
    `npm ${purpose} cannot run here yet; missing:`,
    ...lines,
    `Run ${SETUP_COMMAND} once: it installs all of it (see README, "Run it").`,
  ].join('\n');
}

/**
 * The probes of this machine.
 * @param {string} root the repository root
 * @returns {import('./preflight.d.mts').Probes}
 */
export function machineProbes(root) {
  return {
    env: process.env,
    nodeVersion: process.version,
    commandExists: (name) => findExecutable(name) !== undefined,
    fileExists: (path) => canAccess(path, constants.F_OK),
    portOpen: isPortOpen,
    dockerAnswers: () => dockerEngineAnswers(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'),
    dependenciesProblem: () => dependenciesProblem(root),
    embeddedStoreJar: join(root, 'packages/embedded-mongo/target/embedded-mongo.jar'),
  };
}

// Debian puts the RabbitMQ tools in /usr/sbin, which a non-root PATH may lack.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/lib/rabbitmq/bin'];

function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  return dirs.map((dir) => join(dir, name)).find((path) => canAccess(path, constants.X_OK));
}

function canAccess(path, mode) {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm ci` done, and since package-lock.json last changed: every package the lock file names is
 * installed at its version (npm records what it installed in node_modules/.package-lock.json).
 * Optional packages are skipped: those for other platforms are never installed.
 * @returns {string | undefined} what is wrong, or undefined when the install matches the lock
 */
export function dependenciesProblem(root) {
  let installed;
  try {
    installed =
      JSON.parse(readFileSync(join(root, 'node_modules/.package-lock.json'), 'utf8')).packages ?? {};
  } catch {
    return 'node_modules is missing (npm ci has not run)';
  }
  const locked = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const differing = Object.entries(locked).filter(
    ([path, entry]) =>
      path.includes('node_modules/') && !entry.optional && installed[path]?.version !== entry.version,
  );
  if (differing.length === 0) return undefined;
  const [path, entry] = differing[0];
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const has = installed[path]?.version ?? 'none';
  return `node_modules does not match package-lock.json (${differing.length} package(s), e.g. ${name} ${entry.version} locked, ${has} installed)`;
}

function isPortOpen(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** As packages/testing's isDockerEngineAvailable: a unix socket's /_ping, or a TCP port open. */
function dockerEngineAnswers(dockerHost, timeoutMs = 1_000) {
  if (dockerHost.startsWith('tcp://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    return isPortOpen(url.hostname, Number(url.port || 2375), timeoutMs);
  }
  if (!dockerHost.startsWith('unix://')) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socketPath = dockerHost.slice('unix://'.length);
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function main(purpose) {
  if (purpose !== 'start' && purpose !== 'test') {
    process.stderr.write('usage: node scripts/preflight.mjs start|test\n');
    return 2;
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const missing = await findMissing(purpose, machineProbes(root));
  if (missing.length === 0) return 0;
  process.stderr.write(`${report(purpose, missing)}\n`);
  return 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv[2]);
}
