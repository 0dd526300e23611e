import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createIsolatedVhost,
  freePort,
  ready,
  requiredEnv,
  ServiceTestEnv,
  testKeys,
  uniqueName,
} from '@delivery/testing';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The admin the gateway creates on its first start in these tests. */
export const SYSTEM_ADMIN = { email: 'admin@example.com', password: 'system-test-admin-password' } as const;

/** The processes of the system, as start() names them (for env meant for every one of them). */
export const SYSTEM_PROCESSES = [
  'gateway',
  'pipeline',
  'hitl',
  'job-runner',
  'job-runner-worker',
  'template-blueprint',
  'template-blueprint-worker',
] as const;

export interface SystemUrls {
  gateway: string;
  pipeline: string;
  hitl: string;
  jobRunner: string;
  blueprints: string;
  /** Where the workers serve /healthz, /readyz and /metrics (METRICS_PORT). */
  jobRunnerWorker: string;
  blueprintWorker: string;
}

/** The API services, as SystemUrls names them: each has its replicas' URLs in SystemEnv.replicaUrls. */
export type ApiService = 'gateway' | 'pipeline' | 'hitl' | 'jobRunner' | 'blueprints';

export interface StartOptions {
  /**
   * Processes of each kind (APIs, workers, consumers, the gateway). With more than one, replica n
   * of a process is named `<name>-n` (the first keeps its name), and every caller is given the
   * URLs of all of a service's replicas (`PIPELINE_URL=a,b`, PLATFORM_SERVICE_URLS naming each).
   */
  replicas?: number;
}

/**
 * The whole system for one end-to-end test file: every service as its own OS process (as npm
 * start and Kubernetes run them) on one isolated vhost, each service with its own database.
 */
export class SystemEnv extends ServiceTestEnv {
  readonly processes = new Map<string, ChildProcess>();
  private readonly specs = new Map<
    string,
    { kind: string; cwd: string; entry: string; env: Record<string, string | number> }
  >();
  urls!: SystemUrls;
  /** Every replica's base URL per API service (urls holds the first's). */
  replicaUrls!: Record<ApiService, string[]>;
  /** Each process's base URL (an API's PORT, a worker's METRICS_PORT), by process name. */
  readonly processUrls = new Map<string, string>();
  /**
   * A folder per process laid out as its image (node_modules, services/<service>/dist): a process
   * with one runs its compiled entry (`node dist/main.js`) from there, as its container does;
   * the others run their TypeScript sources through tsx from the repository.
   */
  readonly images = new Map<string, string>();

  static override async create(): Promise<SystemEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'system');
    return new SystemEnv(vhost, uniqueName('system'), {});
  }

  /** Starts every process and waits until each answers /readyz. */
  async start(
    extra: Partial<Record<string, Record<string, string | number>>> = {},
    /** Another entry for a process (e.g. a worker with trivial handlers, for a benchmark). */
    entries: Partial<Record<string, string>> = {},
    { replicas = 1 }: StartOptions = {},
  ): Promise<SystemUrls> {
    const url = (port: number) => `http://127.0.0.1:${port}`;
    const ports = async () =>
      (await Promise.all(Array.from({ length: replicas }, () => freePort()))).map(url);
    const [gateway, pipeline, hitl, jobRunner, blueprints, jobRunnerWorker, blueprintWorker] =
      (await Promise.all([0, 1, 2, 3, 4, 5, 6].map(ports))) as [
        string[],
        string[],
        string[],
        string[],
        string[],
        string[],
        string[],
      ];
    const first = (urls: string[]) => urls[0] as string;
    this.urls = {
      gateway: first(gateway),
      pipeline: first(pipeline),
      hitl: first(hitl),
      jobRunner: first(jobRunner),
      blueprints: first(blueprints),
      jobRunnerWorker: first(jobRunnerWorker),
      blueprintWorker: first(blueprintWorker),
    };
    this.replicaUrls = { gateway, pipeline, hitl, jobRunner, blueprints };
    const list = (urls: string[]) => urls.join(',');
    const portOf = (base: string) => Number(new URL(base).port);
    const db = (service: string) => `${this.mongoDb}-${service}`;
    const signing = (service: string) => ({ IDENTITY_SIGNING_KEY: testKeys.signingKeyJson(service) });
    const platforms = [
      ...pipeline.map((base) => `pipeline=${base}`),
      ...blueprints.map((base) => `template-blueprint=${base}`),
    ].join(',');
    for (let index = 0; index < replicas; index++) {
      const at = (urls: string[]) => urls[index] as string;
      // The first replica keeps the plain name (and worker id), so one replica is as it always was.
      const n = (name: string) => (index === 0 ? name : `${name}-${index + 1}`);
      const define = (
        name: string,
        cwd: string,
        entry: string,
        base: string,
        env: Record<string, string | number>,
      ) => {
        this.specs.set(n(name), { kind: name, cwd, entry, env });
        this.processUrls.set(n(name), base);
      };
      define('template-blueprint', 'services/template-blueprint', 'src/main.ts', at(blueprints), {
        PORT: portOf(at(blueprints)),
        MONGO_DB: db('blueprints'),
        SWEEP_INTERVAL_MS: 200,
      });
      define(
        'template-blueprint-worker',
        'services/template-blueprint',
        'src/worker.ts',
        at(blueprintWorker),
        {
          MONGO_DB: db('blueprints'),
          WORKER_ID: n('system-blueprint-worker'),
          METRICS_PORT: portOf(at(blueprintWorker)),
        },
      );
      define('hitl', 'services/hitl', 'src/main.ts', at(hitl), {
        PORT: portOf(at(hitl)),
        MONGO_DB: db('hitl'),
        EXPIRY_SWEEP_INTERVAL_MS: 200,
      });
      define('job-runner', 'services/job-runner', 'src/main.ts', at(jobRunner), {
        PORT: portOf(at(jobRunner)),
        MONGO_DB: db('jobs'),
        SCHEDULER_INTERVAL_MS: 200,
        BACKOFF_BASE_MS: 200,
      });
      define('job-runner-worker', 'services/job-runner', 'src/worker.ts', at(jobRunnerWorker), {
        MONGO_DB: db('jobs'),
        WORKER_ID: n('system-worker'),
        METRICS_PORT: portOf(at(jobRunnerWorker)),
        PLATFORM_SERVICE_URLS: platforms,
        ...signing('job-runner'),
      });
      define('pipeline', 'services/pipeline', 'src/main.ts', at(pipeline), {
        PORT: portOf(at(pipeline)),
        MONGO_DB: db('pipeline'),
        PUBLIC_URL: at(pipeline),
        TEMPLATE_BLUEPRINT_URL: list(blueprints),
        HITL_URL: list(hitl),
        JOB_RUNNER_URL: list(jobRunner),
        AUTO_ASSIGN_POOL: 'dev-1=Devi,dev-2=Dario',
        ...signing('pipeline'),
      });
      define('gateway', 'services/gateway', 'src/main.ts', at(gateway), {
        PORT: portOf(at(gateway)),
        MONGO_DB: db('gateway'),
        PIPELINE_URL: list(pipeline),
        HITL_URL: list(hitl),
        JOB_RUNNER_URL: list(jobRunner),
        TEMPLATE_BLUEPRINT_URL: list(blueprints),
        ADMIN_EMAIL: SYSTEM_ADMIN.email,
        ADMIN_PASSWORD: SYSTEM_ADMIN.password,
        ...signing('gateway'),
      });
    }
    // Env and entries given for a process apply to each of its replicas.
    for (const spec of this.specs.values()) {
      Object.assign(spec.env, extra[spec.kind] ?? {});
      const entry = entries[spec.kind];
      if (entry) spec.entry = entry;
    }
    for (const name of this.specs.keys()) this.launch(name);
    await Promise.all([...this.processUrls.values()].map((base) => ready(base, 90_000)));
    this.onClose(() => this.dropDatabases(['blueprints', 'hitl', 'jobs', 'pipeline', 'gateway'].map(db)));
    return this.urls;
  }

  /** The names of the processes start() launched (replicas included), e.g. `pipeline`, `pipeline-2`. */
  get processNames(): string[] {
    return [...this.specs.keys()];
  }

  /** (Re)starts one process of the system by name. */
  launch(name: string): ChildProcess {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`no process ${name}`);
    const image = this.images.get(spec.kind);
    const child = image
      ? this.spawnNode(join(image, spec.cwd), [compiledEntry(spec.entry)], spec.env)
      : this.spawn(`${repo}/${spec.cwd}`, spec.entry, spec.env);
    this.processes.set(name, child);
    return child;
  }

  private async dropDatabases(names: string[]): Promise<void> {
    const connection = await this.database();
    for (const name of names) await connection.useDb(name).dropDatabase();
  }
}

/** Where `npm run build` puts an entry: src/main.ts → dist/main.js. */
export function compiledEntry(entry: string): string {
  return entry.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
}
