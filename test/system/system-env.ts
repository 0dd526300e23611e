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

/**
 * The whole system for one end-to-end test file: every service as its own OS process (as npm
 * start and Kubernetes run them) on one isolated vhost, each service with its own database.
 */
export class SystemEnv extends ServiceTestEnv {
  readonly processes = new Map<string, ChildProcess>();
  private readonly specs = new Map<
    string,
    { cwd: string; entry: string; env: Record<string, string | number> }
  >();
  urls!: SystemUrls;
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
  ): Promise<SystemUrls> {
    const [gateway, pipeline, hitl, jobRunner, blueprints, jobRunnerWorker, blueprintWorker] =
      await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    const url = (port: number) => `http://127.0.0.1:${port}`;
    this.urls = {
      gateway: url(gateway),
      pipeline: url(pipeline),
      hitl: url(hitl),
      jobRunner: url(jobRunner),
      blueprints: url(blueprints),
      jobRunnerWorker: url(jobRunnerWorker),
      blueprintWorker: url(blueprintWorker),
    };
    const db = (service: string) => `${this.mongoDb}-${service}`;
    const signing = (service: string) => ({ IDENTITY_SIGNING_KEY: testKeys.signingKeyJson(service) });
    this.define('template-blueprint', 'services/template-blueprint', 'src/main.ts', {
      PORT: blueprints,
      MONGO_DB: db('blueprints'),
      SWEEP_INTERVAL_MS: 200,
    });
    this.define('template-blueprint-worker', 'services/template-blueprint', 'src/worker.ts', {
      MONGO_DB: db('blueprints'),
      WORKER_ID: 'system-blueprint-worker',
      METRICS_PORT: blueprintWorker,
    });
    this.define('hitl', 'services/hitl', 'src/main.ts', {
      PORT: hitl,
      MONGO_DB: db('hitl'),
      EXPIRY_SWEEP_INTERVAL_MS: 200,
    });
    this.define('job-runner', 'services/job-runner', 'src/main.ts', {
      PORT: jobRunner,
      MONGO_DB: db('jobs'),
      SCHEDULER_INTERVAL_MS: 200,
      BACKOFF_BASE_MS: 200,
    });
    this.define('job-runner-worker', 'services/job-runner', 'src/worker.ts', {
      MONGO_DB: db('jobs'),
      WORKER_ID: 'system-worker',
      METRICS_PORT: jobRunnerWorker,
      PLATFORM_SERVICE_URLS: `pipeline=${url(pipeline)},template-blueprint=${url(blueprints)}`,
      ...signing('job-runner'),
    });
    this.define('pipeline', 'services/pipeline', 'src/main.ts', {
      PORT: pipeline,
      MONGO_DB: db('pipeline'),
      PUBLIC_URL: url(pipeline),
      TEMPLATE_BLUEPRINT_URL: url(blueprints),
      HITL_URL: url(hitl),
      JOB_RUNNER_URL: url(jobRunner),
      AUTO_ASSIGN_POOL: 'dev-1=Devi,dev-2=Dario',
      ...signing('pipeline'),
    });
    this.define('gateway', 'services/gateway', 'src/main.ts', {
      PORT: gateway,
      MONGO_DB: db('gateway'),
      PIPELINE_URL: url(pipeline),
      HITL_URL: url(hitl),
      JOB_RUNNER_URL: url(jobRunner),
      TEMPLATE_BLUEPRINT_URL: url(blueprints),
      ADMIN_EMAIL: SYSTEM_ADMIN.email,
      ADMIN_PASSWORD: SYSTEM_ADMIN.password,
      ...signing('gateway'),
    });
    for (const [name, overrides] of Object.entries(extra)) {
      const spec = this.specs.get(name);
      if (spec) Object.assign(spec.env, overrides);
    }
    for (const [name, entry] of Object.entries(entries)) {
      const spec = this.specs.get(name);
      if (spec && entry) spec.entry = entry;
    }
    for (const name of this.specs.keys()) this.launch(name);
    await Promise.all(Object.values(this.urls).map((base) => ready(base, 90_000)));
    this.onClose(() => this.dropDatabases(['blueprints', 'hitl', 'jobs', 'pipeline', 'gateway'].map(db)));
    return this.urls;
  }

  /** (Re)starts one process of the system by name. */
  launch(name: string): ChildProcess {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`no process ${name}`);
    const image = this.images.get(name);
    const child = image
      ? this.spawnNode(join(image, spec.cwd), [compiledEntry(spec.entry)], spec.env)
      : this.spawn(`${repo}/${spec.cwd}`, spec.entry, spec.env);
    this.processes.set(name, child);
    return child;
  }

  private define(name: string, cwd: string, entry: string, env: Record<string, string | number>): void {
    this.specs.set(name, { cwd, entry, env });
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
