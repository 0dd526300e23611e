/**
 * What `npm start` runs. Each entry is one OS process, as it would be one Deployment in
 * Kubernetes; services with a separate worker list it (and how many) here too. Each gets the
 * identity keys of its `service` from the launcher (see local-identity.ts).
 */
export interface ProcessSpec {
  name: string;
  /** The service it is part of: whose identity it has (its signing key) and whose tokens it takes. */
  service: string;
  entry: string;
  env: Record<string, string>;
}

export const BASE_PORT = Number(process.env.BASE_PORT ?? 4000);

/** Ports: the gateway takes BASE_PORT (the one address a person needs); each service BASE_PORT + its offset. */
export const PORTS = {
  gateway: BASE_PORT,
  jobRunner: BASE_PORT + 1,
  templateBlueprint: BASE_PORT + 2,
  hitl: BASE_PORT + 3,
  pipeline: BASE_PORT + 4,
} as const;

/** Workers serve /healthz, /readyz and /metrics on their own port: METRICS_BASE_PORT and up. */
export const METRICS_BASE_PORT = BASE_PORT + 10;

const JOB_RUNNER_WORKERS = 2;

const local = (port: number) => `http://127.0.0.1:${port}`;

/**
 * Everything runs on loopback here, which the workers' egress policy refuses unless allowed
 * explicitly (see README, "Egress").
 */
const LOCAL_EGRESS = { EGRESS_ALLOW_PRIVATE: '127.0.0.0/8,::1' };

export const processes: ProcessSpec[] = [
  {
    name: 'gateway',
    service: 'gateway',
    entry: 'services/gateway/src/main.ts',
    env: {
      PORT: String(PORTS.gateway),
      PIPELINE_URL: local(PORTS.pipeline),
      HITL_URL: local(PORTS.hitl),
      JOB_RUNNER_URL: local(PORTS.jobRunner),
      TEMPLATE_BLUEPRINT_URL: local(PORTS.templateBlueprint),
    },
  },
  {
    name: 'job-runner',
    service: 'job-runner',
    entry: 'services/job-runner/src/main.ts',
    env: { PORT: String(PORTS.jobRunner) },
  },
  ...Array.from({ length: JOB_RUNNER_WORKERS }, (_, index) => ({
    name: `job-runner-worker-${index + 1}`,
    service: 'job-runner',
    entry: 'services/job-runner/src/worker.ts',
    env: {
      WORKER_ID: `local-worker-${index + 1}`,
      METRICS_PORT: String(METRICS_BASE_PORT + index),
      ...LOCAL_EGRESS,
      // Blueprints and artifacts are read from these without listing them in EGRESS_ALLOWED_HOSTS,
      // with a token for each.
      PLATFORM_SERVICE_URLS: [
        `template-blueprint=${local(PORTS.templateBlueprint)}`,
        `pipeline=${local(PORTS.pipeline)}`,
      ].join(','),
    },
  })),
  {
    name: 'template-blueprint',
    service: 'template-blueprint',
    entry: 'services/template-blueprint/src/main.ts',
    env: { PORT: String(PORTS.templateBlueprint) },
  },
  {
    name: 'template-blueprint-worker',
    service: 'template-blueprint',
    entry: 'services/template-blueprint/src/worker.ts',
    env: {
      WORKER_ID: 'local-blueprint-worker-1',
      METRICS_PORT: String(METRICS_BASE_PORT + JOB_RUNNER_WORKERS),
      ...LOCAL_EGRESS,
    },
  },
  { name: 'hitl', service: 'hitl', entry: 'services/hitl/src/main.ts', env: { PORT: String(PORTS.hitl) } },
  {
    name: 'pipeline',
    service: 'pipeline',
    entry: 'services/pipeline/src/main.ts',
    env: {
      PORT: String(PORTS.pipeline),
      PUBLIC_URL: local(PORTS.pipeline),
      TEMPLATE_BLUEPRINT_URL: local(PORTS.templateBlueprint),
      HITL_URL: local(PORTS.hitl),
      JOB_RUNNER_URL: local(PORTS.jobRunner),
    },
  },
];
