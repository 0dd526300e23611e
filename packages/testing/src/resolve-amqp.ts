import { spawn } from 'node:child_process';
import { isDockerEngineAvailable } from './docker-engine.js';
import { findExecutable } from './find-executable.js';
import { InfrastructureUnavailableError } from './infrastructure-error.js';
import { isPortOpen, waitForPort } from './tcp-port.js';

export type AmqpKind = 'env' | 'container' | 'local';

export interface ResolvedAmqp {
  url: string;
  kind: AmqpKind;
  /** Stops a container this call started; the local broker is shared and left running. */
  stop(): Promise<void>;
}

export const RABBITMQ_IMAGE = 'rabbitmq:4-management';
const LOCAL_HOST = '127.0.0.1';
const LOCAL_PORT = 5672;
const LOCAL_URL = `amqp://guest:guest@${LOCAL_HOST}:${LOCAL_PORT}`;
const LOCAL_START_TIMEOUT_MS = 60_000;

/** AMQP_URL, else RabbitMQ in a container when Docker answers, else the local broker on 5672. */
export async function resolveAmqp(): Promise<ResolvedAmqp> {
  const fromEnv = process.env.AMQP_URL;
  if (fromEnv) return { url: fromEnv, kind: 'env', stop: async () => {} };

  const causes = ['AMQP_URL is not set'];
  if (await isDockerEngineAvailable()) {
    try {
      return await startRabbitContainer();
    } catch (error) {
      causes.push(`Docker answered but the ${RABBITMQ_IMAGE} container did not start: ${messageOf(error)}`);
      process.stderr.write(`[testing] ${causes.at(-1)}; falling back to the local broker\n`);
    }
  } else {
    causes.push('no Docker engine answered');
  }

  const local = await ensureLocalBroker(causes);
  if (local) return { url: LOCAL_URL, kind: 'local', stop: async () => {} };
  throw new InfrastructureUnavailableError(
    'RabbitMQ',
    'AMQP_URL',
    `install RabbitMQ locally (rabbitmq-server) so it listens on ${LOCAL_HOST}:${LOCAL_PORT}`,
    causes,
  );
}

async function startRabbitContainer(): Promise<ResolvedAmqp> {
  // Loaded only once Docker answered: importing testcontainers costs ~0.4 s in every process
  // that imports this package, and most runs here have no engine.
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  const container = await new RabbitMQContainer(RABBITMQ_IMAGE).start();
  return {
    url: container.getAmqpUrl(),
    kind: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

/**
 * The broker is left running afterwards on purpose: it takes many seconds to boot and is
 * shared by every test run and by `npm start`.
 */
async function ensureLocalBroker(causes: string[]): Promise<boolean> {
  if (await isPortOpen(LOCAL_HOST, LOCAL_PORT)) return true;
  const server = await findExecutable('rabbitmq-server');
  if (!server) {
    causes.push(`nothing listens on ${LOCAL_HOST}:${LOCAL_PORT} and rabbitmq-server is not installed`);
    return false;
  }
  try {
    await runDetached(server);
  } catch (error) {
    // Another process may be starting it at the same moment; the port decides.
    causes.push(`rabbitmq-server -detached: ${messageOf(error)}`);
  }
  if (await waitForPort(LOCAL_HOST, LOCAL_PORT, LOCAL_START_TIMEOUT_MS)) return true;
  causes.push(`started rabbitmq-server, but ${LOCAL_HOST}:${LOCAL_PORT} did not answer within 60 s`);
  return false;
}

function runDetached(server: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(server, ['-detached'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exited with code ${code}`))));
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
