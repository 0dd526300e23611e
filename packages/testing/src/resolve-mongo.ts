import { join } from 'node:path';
import {
  EmbeddedMongoPrerequisiteError,
  type SupervisionOptions,
  startEmbeddedMongo,
  startSupervisedEmbeddedMongo,
} from '@delivery/embedded-mongo';
import { isDockerEngineAvailable } from './docker-engine.js';
import { InfrastructureUnavailableError } from './infrastructure-error.js';
import { repoRoot } from './repo-root.js';

export type MongoKind = 'env' | 'container' | 'embedded';

export interface ResolvedMongo {
  /** Server URL without a database; pick one with mongoUrlForDatabase. */
  url: string;
  kind: MongoKind;
  /** Stops what this call started; nothing for 'env'. */
  stop(): Promise<void>;
}

export interface ResolveMongoOptions {
  /** 'test': throwaway memory store. 'dev': the H2 file store that survives restarts. */
  purpose: 'test' | 'dev';
  /** Embedded H2 file for 'dev'; default `<repo root>/.data/mongo.h2`. */
  dataFile?: string;
  /** Embedded server port; default a free one. */
  port?: number;
  /** For a long-running 'dev' system: restart the embedded store when it dies, or give up loudly. */
  supervise?: SupervisionOptions;
}

export const MONGO_IMAGE = 'mongo:7';

/** MONGO_URL, else MongoDB in a container when Docker answers, else the embedded store. */
export async function resolveMongo(options: ResolveMongoOptions): Promise<ResolvedMongo> {
  const fromEnv = process.env.MONGO_URL;
  if (fromEnv) return { url: fromEnv, kind: 'env', stop: async () => {} };

  const causes = ['MONGO_URL is not set'];
  if (await isDockerEngineAvailable()) {
    try {
      return await startMongoContainer();
    } catch (error) {
      causes.push(`Docker answered but the ${MONGO_IMAGE} container did not start: ${messageOf(error)}`);
      process.stderr.write(`[testing] ${causes.at(-1)}; falling back to the embedded store\n`);
    }
  } else {
    causes.push('no Docker engine answered');
  }

  try {
    return await startEmbedded(options);
  } catch (error) {
    // With Java and Maven present, the install hint would hide the real cause (e.g. a damaged file).
    if (!(error instanceof EmbeddedMongoPrerequisiteError)) throw error;
    causes.push(`the embedded store did not start: ${messageOf(error)}`);
  }
  throw new InfrastructureUnavailableError(
    'MongoDB',
    'MONGO_URL',
    'install Java 17+ and Maven for the embedded store (packages/embedded-mongo)',
    causes,
  );
}

async function startMongoContainer(): Promise<ResolvedMongo> {
  // Loaded only once Docker answered: importing testcontainers costs ~0.4 s in every process
  // that imports this package, and most runs here have no engine.
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = await new MongoDBContainer(MONGO_IMAGE).start();
  return {
    url: container.getConnectionString(),
    kind: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded({
  purpose,
  dataFile,
  port,
  supervise,
}: ResolveMongoOptions): Promise<ResolvedMongo> {
  const options =
    purpose === 'dev'
      ? { backend: 'h2' as const, dataFile: dataFile ?? join(repoRoot, '.data', 'mongo.h2'), port }
      : { backend: 'memory' as const, port };
  const mongo = supervise
    ? await startSupervisedEmbeddedMongo(options, supervise)
    : await startEmbeddedMongo(options);
  return { url: mongo.url, kind: 'embedded', stop: () => mongo.stop() };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
