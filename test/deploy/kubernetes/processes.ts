import { evaluateGateCommand, generateBlueprintCommand } from '@delivery/contracts';
import type { Topology } from '@delivery/messaging';
import type { z } from 'zod';
import {
  configSchema as gatewayConfig,
  migrateConfigSchema as gatewayMigrateConfig,
} from '../../../services/gateway/src/config.js';
import { gatewayTopology } from '../../../services/gateway/src/topology.js';
import {
  configSchema as hitlConfig,
  migrateConfigSchema as hitlMigrateConfig,
} from '../../../services/hitl/src/config.js';
import { hitlTopology } from '../../../services/hitl/src/topology.js';
import {
  apiConfigSchema as jobRunnerApiConfig,
  migrateConfigSchema as jobRunnerMigrateConfig,
  workerConfigSchema as jobRunnerWorkerConfig,
} from '../../../services/job-runner/src/config.js';
import { dispatchJobCommand } from '../../../services/job-runner/src/domain/job-commands.js';
import { jobRunnerTopology } from '../../../services/job-runner/src/topology.js';
import {
  configSchema as pipelineConfig,
  migrateConfigSchema as pipelineMigrateConfig,
} from '../../../services/pipeline/src/config.js';
import { pipelineTopology, TRIGGERS_QUEUE } from '../../../services/pipeline/src/topology.js';
import {
  apiConfigSchema as templateBlueprintApiConfig,
  migrateConfigSchema as templateBlueprintMigrateConfig,
  workerConfigSchema as templateBlueprintWorkerConfig,
} from '../../../services/template-blueprint/src/config.js';
import { templateBlueprintTopology } from '../../../services/template-blueprint/src/topology.js';

/*
 * The system's processes as Kubernetes runs them, one Deployment each (the names every deployment
 * of the system uses: image build targets, compose services, Deployments), with what the rules
 * check them against: the service's own config schema and queue topology, taken from its code.
 */

export type ServiceName = 'gateway' | 'pipeline' | 'hitl' | 'job-runner' | 'template-blueprint';

export interface ProcessSpec {
  name: string;
  /** The service it is part of: whose Secret, identity and queues it has. */
  service: ServiceName;
  /** An API serves HTTP on PORT; a worker serves only /metrics, /healthz and /readyz on METRICS_PORT. */
  role: 'api' | 'worker';
  /** The port its probes and metrics are on: PORT for an API, METRICS_PORT for a worker. */
  port: number;
  /** Parses the process's environment at start (a bad or missing variable stops it). */
  config: z.ZodObject;
  /** The queues of its service. */
  topology: Topology;
  /**
   * The queue whose backlog it scales on (KEDA), for a queue consumer; an API without one scales
   * on CPU (a HorizontalPodAutoscaler).
   */
  scaledOnQueue?: string;
  /**
   * How long its shutdown may take after SIGTERM (service-kit's Lifecycle: the drain, then 10 s
   * more before it exits anyway): the APIs drain for 10 s, the workers for 30 s (worker.ts).
   */
  shutdownBoundSeconds: number;
}

/** The port the metrics endpoint of a worker listens on (METRICS_PORT's default). */
export const WORKER_METRICS_PORT = 9464;

export const PROCESSES: readonly ProcessSpec[] = [
  {
    name: 'gateway',
    service: 'gateway',
    role: 'api',
    port: 4000,
    config: gatewayConfig,
    topology: gatewayTopology,
    shutdownBoundSeconds: 20,
  },
  {
    name: 'pipeline',
    service: 'pipeline',
    role: 'api',
    port: 4004,
    config: pipelineConfig,
    topology: pipelineTopology,
    scaledOnQueue: TRIGGERS_QUEUE,
    shutdownBoundSeconds: 20,
  },
  {
    name: 'hitl',
    service: 'hitl',
    role: 'api',
    port: 4003,
    config: hitlConfig,
    topology: hitlTopology,
    scaledOnQueue: evaluateGateCommand.queue,
    shutdownBoundSeconds: 20,
  },
  {
    name: 'job-runner',
    service: 'job-runner',
    role: 'api',
    port: 4001,
    config: jobRunnerApiConfig,
    topology: jobRunnerTopology,
    shutdownBoundSeconds: 20,
  },
  {
    name: 'job-runner-worker',
    service: 'job-runner',
    role: 'worker',
    port: WORKER_METRICS_PORT,
    config: jobRunnerWorkerConfig,
    topology: jobRunnerTopology,
    scaledOnQueue: dispatchJobCommand.queue,
    shutdownBoundSeconds: 40,
  },
  {
    name: 'template-blueprint',
    service: 'template-blueprint',
    role: 'api',
    port: 4002,
    config: templateBlueprintApiConfig,
    topology: templateBlueprintTopology,
    shutdownBoundSeconds: 20,
  },
  {
    name: 'template-blueprint-worker',
    service: 'template-blueprint',
    role: 'worker',
    port: WORKER_METRICS_PORT,
    config: templateBlueprintWorkerConfig,
    topology: templateBlueprintTopology,
    scaledOnQueue: generateBlueprintCommand.queue,
    shutdownBoundSeconds: 40,
  },
];

export function processNamed(name: string): ProcessSpec | undefined {
  return PROCESSES.find((process) => process.name === name);
}

/** The Secret of a service: its credentials and keys, read by its own pods alone. */
export const secretOf = (service: ServiceName) => `delivery-pipeline-${service}`;

/** The ConfigMap of the public keys every service checks tokens with. */
export const PUBLIC_KEYS_CONFIG_MAP = 'delivery-pipeline-public-keys';

/**
 * The migrations: one Job per service with a database (all five), running `node dist/migrate.js`
 * in that service's image, checked against its migration's own config schema.
 */
export interface MigrationSpec {
  job: string;
  service: ServiceName;
  /** The image (and so the Deployment) whose code it migrates for: the service's API. */
  image: string;
  config: z.ZodObject;
}

const migration = (service: ServiceName, config: z.ZodObject): MigrationSpec => ({
  job: `${service}-migrate`,
  service,
  image: service,
  config,
});

export const MIGRATIONS: readonly MigrationSpec[] = [
  migration('gateway', gatewayMigrateConfig),
  migration('pipeline', pipelineMigrateConfig),
  migration('hitl', hitlMigrateConfig),
  migration('job-runner', jobRunnerMigrateConfig),
  migration('template-blueprint', templateBlueprintMigrateConfig),
];

export function migrationNamed(job: string): MigrationSpec | undefined {
  return MIGRATIONS.find((candidate) => candidate.job === job);
}
