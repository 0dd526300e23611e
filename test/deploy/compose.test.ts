import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import {
  AMQP_VHOST,
  COMPOSE_SERVICES,
  type Container,
  compose,
  composeText,
  containerOf,
  environmentOf,
  mountsOf,
  requiredVariable,
  serviceOf,
  systemProcesses,
} from './compose-file.js';
import { makeIdentityVolumes } from './compose-volumes.js';

// docker-compose.yml read as rules, since no Docker engine runs here: only the gateway is
// published, MongoDB and RabbitMQ need credentials and give each service its own user and
// database, RabbitMQ keeps its node across re-created containers, and each container holds the
// public keys where it checks tokens and its own private key where it signs, nothing else.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const MONGO_URL = /^mongodb:\/\/([^:@/]+):\$\{([A-Z_]+):\?[^}]+\}@mongo:27017\/([^?]+)\?authSource=([^&]+)$/;
const AMQP_URL = /^amqp:\/\/([^:@/]+):\$\{([A-Z_]+):\?[^}]+\}@rabbitmq:5672\/([^/?]+)$/;

test('the gateway is the only container published to the network; Grafana to this machine alone', () => {
  const published = Object.entries(compose.services).flatMap(([name, container]) =>
    (container.ports ?? []).map((port) => ({ name, port })),
  );
  expect(published).toEqual([
    { name: 'gateway', port: '4000:4000' },
    { name: 'grafana', port: '127.0.0.1:3000:3000' },
  ]);
});

test('MongoDB and RabbitMQ require credentials, which come from the generated secrets', () => {
  const mongo = environmentOf(compose.services.mongo);
  expect(mongo.MONGO_INITDB_ROOT_USERNAME).toBe('root');
  expect(requiredVariable(mongo.MONGO_INITDB_ROOT_PASSWORD)).toBe('MONGO_ROOT_PASSWORD');
  const rabbitmq = environmentOf(compose.services.rabbitmq);
  expect(rabbitmq.RABBITMQ_DEFAULT_USER).toBe('admin');
  expect(requiredVariable(rabbitmq.RABBITMQ_DEFAULT_PASS)).toBe('RABBITMQ_ADMIN_PASSWORD');
  expect(composeText).not.toMatch(/guest/);
});

test('RabbitMQ keeps its node, and so its durable queues, when its container is re-created', () => {
  const rabbitmq = containerOf('rabbitmq');
  // The node is rabbit@<hostname>; its data directory on the volume is named after it.
  expect(rabbitmq.hostname).toBe('rabbitmq');
  expect(mountsOf(rabbitmq)).toContainEqual({
    source: 'rabbitmq-data',
    target: '/var/lib/rabbitmq',
    readOnly: false,
  });
  expect(environmentOf(compose.services['rabbitmq-users']).RABBITMQ_NODE).toBe(`rabbit@${rabbitmq.hostname}`);
});

test('every process connects as its own service, to its own database and the system vhost', () => {
  const processes = systemProcesses();
  expect(processes.map(([name]) => name).sort()).toEqual([
    'gateway',
    'hitl',
    'job-runner',
    'job-runner-worker',
    'pipeline',
    'template-blueprint',
    'template-blueprint-worker',
  ]);
  for (const [name, container] of processes) {
    const service = serviceOf(name);
    const { database, variable } = COMPOSE_SERVICES[service];
    const env = environmentOf(container);
    const mongo = MONGO_URL.exec(String(env.MONGO_URL ?? ''));
    expect({ name, mongo: mongo?.slice(1) }).toEqual({
      name,
      mongo: [service, `${variable}_MONGO_PASSWORD`, database, database],
    });
    expect({ name, database: env.MONGO_DB }).toEqual({ name, database });
    const amqp = AMQP_URL.exec(String(env.AMQP_URL ?? ''));
    expect({ name, amqp: amqp?.slice(1) }).toEqual({
      name,
      amqp: [service, `${variable}_AMQP_PASSWORD`, AMQP_VHOST],
    });
  }
});

test("every process waits for its users and keys to exist, and for its service's migration", () => {
  for (const [name, container] of systemProcesses()) {
    expect({ name, dependsOn: container.depends_on }).toEqual({
      name,
      dependsOn: {
        mongo: { condition: 'service_healthy' },
        'rabbitmq-users': { condition: 'service_completed_successfully' },
        'identity-keys': { condition: 'service_completed_successfully' },
        [`${serviceOf(name)}-migrate`]: { condition: 'service_completed_successfully' },
      },
    });
  }
  expect(compose.services['rabbitmq-users']?.depends_on).toEqual({
    rabbitmq: { condition: 'service_healthy' },
  });
});

describe('identity keys', () => {
  const KEY_STORE = 'identity';
  const PUBLIC_KEYS = 'identity-public';
  const ownKeyVolume = (service: string) => `identity-${service}`;

  test('each process mounts, read-only, the public keys where it checks tokens and its own key where it signs', () => {
    for (const [name, container] of systemProcesses()) {
      const service = serviceOf(name);
      const env = environmentOf(container);
      const mounts = mountsOf(container);
      const expected = [
        ...(env.IDENTITY_PUBLIC_KEYS_FILE === undefined ? [] : [PUBLIC_KEYS]),
        ...(env.IDENTITY_SIGNING_KEY_FILE === undefined ? [] : [ownKeyVolume(service)]),
      ];
      expect({ name, mounted: mounts.map((mount) => mount.source).sort() }).toEqual({
        name,
        mounted: expected.sort(),
      });
      expect({ name, writable: mounts.filter((mount) => !mount.readOnly) }).toEqual({ name, writable: [] });
      const publicMount = mounts.find((mount) => mount.source === PUBLIC_KEYS);
      if (publicMount) {
        expect(env.IDENTITY_PUBLIC_KEYS_FILE).toBe(posix.join(publicMount.target, 'public-keys.jwks.json'));
      }
      const ownMount = mounts.find((mount) => mount.source === ownKeyVolume(service));
      if (ownMount) {
        expect(env.IDENTITY_SIGNING_KEY_FILE).toBe(
          posix.join(ownMount.target, `${service}.private.jwk.json`),
        );
      }
    }
  });

  test('the processes that sign hold a private key: the gateway, pipeline and the job-runner workers', () => {
    const signers = systemProcesses()
      .filter(([, container]) => environmentOf(container).IDENTITY_SIGNING_KEY_FILE !== undefined)
      .map(([name]) => name);
    expect(signers.sort()).toEqual(['gateway', 'job-runner-worker', 'pipeline']);
  });

  test('only the key maker and the token tool mount the key store that holds every private key', () => {
    const holders = Object.entries(compose.services)
      .filter(([, container]) => mountsOf(container).some((mount) => mount.source === KEY_STORE))
      .map(([name]) => name);
    expect(holders.sort()).toEqual(['identity-keys', 'token']);
    expect(mountsOf(compose.services.token).find((mount) => mount.source === KEY_STORE)?.readOnly).toBe(true);
  });

  test("the key maker puts into each service's key volume that service's private key alone", async () => {
    const root = mkdtempSync(join(tmpdir(), 'compose-identity-'));
    try {
      const volumes = await makeIdentityVolumes(root);
      expect(readdirSync(volumes.get(PUBLIC_KEYS) ?? '?')).toEqual(['public-keys.jwks.json']);
      const mountedOwnKeys = systemProcesses().flatMap(([, container]) =>
        mountsOf(container)
          .filter((mount) => mount.source.startsWith('identity-') && mount.source !== PUBLIC_KEYS)
          .map((mount) => mount.source),
      );
      expect(mountedOwnKeys.length).toBeGreaterThan(0);
      for (const volume of new Set(mountedOwnKeys)) {
        const service = volume.slice('identity-'.length);
        expect({ volume, files: readdirSync(volumes.get(volume) ?? '?') }).toEqual({
          volume,
          files: [`${service}.private.jwk.json`],
        });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

test('the MongoDB init script creates one user per service with readWrite on its own database alone', () => {
  const mongo = compose.services.mongo as Container;
  const script = mountsOf(mongo).find((mount) => mount.target.startsWith('/docker-entrypoint-initdb.d/'));
  expect(script?.source).toBe('./deploy/compose/mongo-users.js');
  expect(script?.readOnly).toBe(true);
  // Each variable stands for a value of its own, as in .env: a user given another's password shows.
  const env = Object.fromEntries(
    Object.entries(environmentOf(mongo)).map(([key, value]) => [key, `value-of-${requiredVariable(value)}`]),
  );
  const created: { database: string; spec: unknown }[] = [];
  runInNewContext(readFileSync(join(repo, 'deploy/compose/mongo-users.js'), 'utf8'), {
    process: { env },
    print: () => undefined,
    db: {
      getSiblingDB: (database: string) => ({
        createUser: (spec: unknown) => created.push({ database, spec }),
      }),
    },
  });

  expect(created).toEqual(
    Object.entries(COMPOSE_SERVICES).map(([service, { database, variable }]) => ({
      database,
      spec: {
        user: service,
        pwd: `value-of-${variable}_MONGO_PASSWORD`,
        roles: [{ role: 'readWrite', db: database }],
      },
    })),
  );
});

test("the RabbitMQ users step runs the users script with each service's password", () => {
  const step = compose.services['rabbitmq-users'] as Container;
  const script = mountsOf(step).find((mount) => mount.source === './deploy/compose/rabbitmq-users.sh');
  expect(script?.readOnly).toBe(true);
  expect(step.entrypoint).toEqual(['sh', script?.target]);
  const env = environmentOf(step);
  expect(env.RABBITMQ_VHOST).toBe(AMQP_VHOST);
  for (const { variable } of Object.values(COMPOSE_SERVICES)) {
    const name = `${variable}_AMQP_PASSWORD`;
    expect(requiredVariable(env[name])).toBe(name);
  }
});

describe('make-secrets.sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'compose-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const makeSecrets = (file: string) => run('sh', [join(repo, 'deploy/compose/make-secrets.sh'), file]);
  const variablesOf = (text: string) =>
    new Map(
      text
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );

  test('writes a fresh random value for every variable docker-compose.yml requires', async () => {
    const file = join(dir, '.env');
    await makeSecrets(file);

    const written = variablesOf(readFileSync(file, 'utf8'));
    const required = [...composeText.matchAll(/\$\{([A-Z_]+):\?/g)].map((match) => match[1]);
    expect([...written.keys()].sort()).toEqual([...new Set(required)].sort());
    for (const value of written.values()) expect(value).toMatch(/^[0-9a-f]{48}$/);
    expect(new Set(written.values()).size).toBe(written.size);
  });

  test('keeps the values already there, which the databases were initialised with', async () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'PIPELINE_MONGO_PASSWORD=kept\n');
    await makeSecrets(file);
    const first = readFileSync(file, 'utf8');
    await makeSecrets(file);

    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(variablesOf(first).get('PIPELINE_MONGO_PASSWORD')).toBe('kept');
  });
});
