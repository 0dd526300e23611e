import type { Server } from 'node:http';
import {
  createHttpApp,
  deadLetterRoutes,
  type Lifecycle,
  type Logger,
  repeat,
  startRetentionSweeps,
} from '@delivery/service-kit';
import { inputLimits } from '@delivery/service-kit/config';
import { identityVerifierFromConfig } from '@delivery/service-kit/identity';
import { watchApprovals } from './approval-metrics.js';
import type { HitlConfig } from './config.js';
import { consumeEvaluateCommands, consumeProjectEvents } from './consumers/consume-commands.js';
import { approvalRoutes } from './http/approval-routes.js';
import { auditRoutes } from './http/audit-routes.js';
import { gateConfigRoutes } from './http/gate-config-routes.js';
import { openHitlRuntime } from './runtime.js';
import { ApprovalStore } from './store/approval-store.js';
import { EvaluationStore } from './store/evaluation-store.js';
import { expireOverdue } from './store/expiry-sweeper.js';
import { GateConfigStore } from './store/gate-config-store.js';
import { ProjectFactsStore } from './store/project-facts-store.js';
import { hitlRetention } from './store/retention.js';

const EXPIRY_BATCH = 200;

/**
 * The hitl process: the evaluate command, the project facts it keeps, the HTTP API and the
 * expiry sweeper. `clock` is injectable so tests can move time past an approval's window.
 */
export async function startApi(
  config: HitlConfig,
  lifecycle: Lifecycle,
  logger: Logger,
  clock: () => Date = () => new Date(),
): Promise<Server> {
  const runtime = await openHitlRuntime(config, lifecycle, logger);
  const approvals = new ApprovalStore(runtime.approvals, runtime.approvalWritten);
  const configs = new GateConfigStore(runtime.gateConfig, runtime.gateOverrides, clock);
  const projects = new ProjectFactsStore(runtime.projects, clock);
  const evaluations = new EvaluationStore(runtime.evaluations, runtime.evaluationWritten);
  lifecycle.onClose('approval metrics', watchApprovals(runtime.approvals, clock));

  await consumeEvaluateCommands(
    runtime.broker,
    { approvals, configs, projects, evaluations, clock },
    inputLimits(config),
  );
  await consumeProjectEvents(runtime.broker, projects, approvals, clock);

  const sweeper = repeat(
    'approval expiry',
    config.EXPIRY_SWEEP_INTERVAL_MS,
    async () => {
      const expired = await expireOverdue(approvals, clock(), EXPIRY_BATCH);
      if (expired > 0) logger.info({ expired }, 'expired approvals past their window');
    },
    logger,
  );
  lifecycle.onClose('approval expiry', () => sweeper.stop());

  const retention = startRetentionSweeps(
    hitlRetention(runtime, {
      auditDays: config.AUDIT_RETENTION_DAYS,
      evaluationDays: config.EVALUATION_RETENTION_DAYS,
    }),
    config.RETENTION_SWEEP_INTERVAL_MS,
    logger,
    clock,
  );
  lifecycle.onClose('retention sweep', () => retention.stop());

  const app = createHttpApp({
    logger,
    readiness: runtime.readiness,
    limits: inputLimits(config),
    identity: identityVerifierFromConfig(config),
    routes: (express) => {
      express.use(approvalRoutes({ approvals, clock }));
      express.use(auditRoutes(approvals, configs));
      express.use(gateConfigRoutes({ configs, projects }));
      express.use(deadLetterRoutes(runtime.deadLetters));
    },
  });
  const server = await lifecycle.listenHttp(app, config.PORT);
  logger.info({ address: server.address() }, 'hitl api listening');
  return server;
}
