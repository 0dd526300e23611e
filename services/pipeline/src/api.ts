import type { Server } from 'node:http';
import type { Actor } from '@delivery/contracts';
import { createHttpApp, deadLetterRoutes, type Lifecycle, type Logger } from '@delivery/service-kit';
import { inputLimits } from '@delivery/service-kit/config';
import { identityVerifierFromConfig, serviceTokensFromConfig } from '@delivery/service-kit/identity';
import { artifactRoutes, quotaOf } from './artifacts/artifact-routes.js';
import { fileChangeRoutes } from './artifacts/file-change-routes.js';
import { FileStore } from './artifacts/file-store.js';
import type { PipelineConfig } from './config.js';
import { consumeTriggers } from './consumers/consume-triggers.js';
import { addFile } from './domain/fact-changes.js';
import { uploadChange } from './domain/named-triggers.js';
import type { StoredFile } from './domain/project-state.js';
import { defectRoutes } from './http/defect-routes.js';
import { projectRoutes } from './http/project-routes.js';
import { orRefuse } from './http/refusals.js';
import { stageRoutes } from './http/stage-routes.js';
import { whyRoutes } from './http/why-routes.js';
import { Orchestrator } from './orchestrator/orchestrator.js';
import { openPipelineRuntime } from './runtime.js';
import { ProjectStore } from './store/project-store.js';
import { serviceClient } from './upstream/service-client.js';
import { Templates } from './upstream/templates.js';

/** The pipeline process: projects, the orchestrator and its triggers, the HTTP API. */
export async function startApi(
  config: PipelineConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  clock: () => Date = () => new Date(),
): Promise<Server> {
  const runtime = await openPipelineRuntime(config, lifecycle, logger);
  const tokens = serviceTokensFromConfig(config, 'pipeline');
  if (!tokens) throw new Error('the pipeline needs its signing key (the config check requires it)');
  const client = (name: string, baseUrls: readonly string[]) =>
    serviceClient(name, baseUrls, tokens, config.UPSTREAM_TIMEOUT_MS, logger);
  const templates = new Templates(client('template-blueprint', config.TEMPLATE_BLUEPRINT_URL));
  const jobRunner = client('job-runner', config.JOB_RUNNER_URL);

  const projects = new ProjectStore(runtime.projects, runtime.written, clock);
  const orchestrator = new Orchestrator(runtime.projects, runtime.written, config.PUBLIC_URL, clock);
  await consumeTriggers(runtime.broker, { orchestrator, projects, templates, logger });

  // An upload is appended to the project and moves it on, as one orchestrator run.
  const quota = quotaOf(config);
  const onStored = async (projectId: string, file: StoredFile, actor: Actor) => {
    const { trigger, audit } = uploadChange(file, actor);
    await orchestrator.run(projectId, trigger, {
      correlationId: `upload:${file.id}`,
      change: orRefuse((project) => addFile(project, file, quota)),
      audit,
    });
  };
  const files = new FileStore(runtime.mongo);

  const app = createHttpApp({
    logger,
    readiness: runtime.readiness,
    limits: inputLimits(config),
    identity: identityVerifierFromConfig(config),
    // Multipart bodies, streamed to GridFS: mounted before the JSON body guards.
    uploadRoutes: (express) => {
      express.use(artifactRoutes({ files, projects, onStored, config }));
      express.use(fileChangeRoutes({ files, projects, orchestrator, config, logger }));
    },
    routes: (express) => {
      express.use(projectRoutes({ projects, orchestrator, templates }));
      express.use(
        stageRoutes({ projects, orchestrator, jobRunner, assigneePool: config.AUTO_ASSIGN_POOL, clock }),
      );
      express.use(defectRoutes({ projects, orchestrator, jobRunner }));
      express.use(whyRoutes({ projects, hitl: client('hitl', config.HITL_URL), jobRunner, clock }));
      express.use(deadLetterRoutes(runtime.deadLetters));
    },
  });
  const server = await lifecycle.listenHttp(app, config.PORT);
  logger.info({ address: server.address() }, 'pipeline api listening');
  return server;
}
