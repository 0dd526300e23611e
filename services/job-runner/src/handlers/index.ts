import type { JobKind } from '@delivery/contracts';
import type { Logger } from '@delivery/service-kit';
import type { EgressClient } from '@delivery/service-kit/egress';
import { createBuildHandler } from './build/build-handler.js';
import { createDefectValidationHandler } from './defects/defect-validation-handler.js';
import { createHttpHandler, type HttpHandlerDeps } from './executor/http-handler.js';
import type { JobHandler } from './handler.js';
import { createTestHandler } from './junit/test-handler.js';
import { createNoopHandler } from './noop-handler.js';
import { createHttpFetcher, type Fetcher } from './shared/fetcher.js';
import { createHostBreakers } from './shared/host-breakers.js';
import type { CredentialsFor, PlatformService } from './shared/platform-services.js';

export type { HandlerResult, JobContext, JobHandler, JobView } from './handler.js';
export { PermanentJobError } from './handler.js';
export type { Fetcher } from './shared/fetcher.js';
export { UpstreamError } from './shared/host-breakers.js';

export interface StageHandlerDeps {
  /**
   * The reads of build and test jobs (artifacts, artifact lists, blueprints, test reports): its
   * policy may allow the platform's own services, which those reads come from.
   */
  egress: EgressClient;
  /**
   * The `http` executor's calls. A separate client because the job's author picks their URL,
   * method, headers and body: its policy must not allow the platform's services (their internal
   * routes replay dead letters and write templates), only EGRESS_ALLOWED_HOSTS.
   */
  executorEgress: EgressClient;
  /** How build/test read artifacts, artifact lists, blueprints and reports. Default: egress behind per-host breakers. */
  fetcher?: Fetcher;
  /** What the default fetcher's reads carry: a platform service's token for its URLs (`platformCredentials`). */
  credentials?: CredentialsFor;
  /** The platform's services (PLATFORM_SERVICE_URLS): a read from one replica that is down goes to another. */
  platforms?: readonly PlatformService[];
  /** Timeout of one fetch by the default fetcher (a whole artifact download included). Default 60 s. */
  fetchTimeoutMs?: number;
  /** Options of the `http` executor handler. */
  executor?: Omit<HttpHandlerDeps, 'egress'>;
  now?: () => Date;
  logger?: Logger;
}

/** The handlers of every registered job kind, built once per worker process. */
export function createStageHandlers(deps: StageHandlerDeps): Record<JobKind, JobHandler> {
  const fetcher =
    deps.fetcher ??
    createHttpFetcher(
      createHostBreakers({ name: 'owner', timeoutMs: deps.fetchTimeoutMs ?? 60_000, logger: deps.logger }),
      deps.egress,
      deps.credentials,
      deps.platforms,
    );
  return {
    build: createBuildHandler({ fetcher, now: deps.now }),
    test: createTestHandler({ fetcher }),
    defect_validation: createDefectValidationHandler(),
    http: createHttpHandler({ logger: deps.logger, egress: deps.executorEgress, ...deps.executor }),
    noop: createNoopHandler(),
  };
}
