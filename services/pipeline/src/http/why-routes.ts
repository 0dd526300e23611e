import {
  hitlRoutes,
  type JobView,
  jobRunnerRoutes,
  pipelineRoutes as routes,
} from '@delivery/contracts/routes';
import { serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { unansweredGateReasons } from '../domain/gate-question.js';
import type { BlockedReason, ProjectState } from '../domain/project-state.js';
import { stagesAhead } from '../domain/stages-ahead.js';
import type { ProjectStore } from '../store/project-store.js';
import type { ServiceClient } from '../upstream/service-client.js';

export interface WhyRoutesDeps {
  projects: ProjectStore;
  hitl: ServiceClient;
  jobRunner: ServiceClient;
  clock: () => Date;
}

/** A part of the answer owned by another service, or why it could not be had. */
type Part<T> = T | { unavailable: true; service: string; reason: string };

async function ask<T>(client: ServiceClient, call: () => Promise<T>): Promise<Part<T>> {
  try {
    return await call();
  } catch (error) {
    return {
      unavailable: true,
      service: client.name,
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * `GET /projects/:id/why`: in one call, why the project is where it is. The pipeline's own part
 * (stage, status, blocking reasons with who can act) always answers; the pending approval (hitl)
 * and the stage's job (job-runner) are asked through their breakers, and a part that cannot be had
 * is marked unavailable instead of failing the call.
 */
export function whyRoutes({ projects, hitl, jobRunner, clock }: WhyRoutesDeps): Router {
  const router = Router();

  serveRoute(router, routes.why, async ({ params }) => {
    const project = await projects.get(params.id);
    const stage = project.stages[project.currentStage];
    // A gate question hitl left unanswered says so (no stored reason: it comes with time).
    const blockedReasons = [
      ...stage.blockedReasons,
      ...unansweredGateReasons(project.currentStage, stage, clock()),
    ];
    const [approval, job] = await Promise.all([
      stage.status === 'awaiting_approval' || stage.approvalId
        ? ask(hitl, () =>
            hitl.call(hitlRoutes.listProjectApprovals, {
              params: { projectId: project.id },
              query: { stage: project.currentStage, status: 'pending' },
            }),
          ).then((answer) => ('items' in answer ? (answer.items[0] ?? null) : answer))
        : null,
      stage.jobId
        ? ask(jobRunner, () =>
            jobRunner.call(jobRunnerRoutes.getJob, { params: { id: stage.jobId as string } }),
          ).then(jobPart)
        : null,
    ]);
    return {
      body: {
        projectId: project.id,
        status: project.status,
        stage: project.currentStage,
        stageStatus: stage.status,
        generation: stage.generation,
        summary: summaryLine(project, blockedReasons),
        blockedReasons,
        note: stage.note,
        blueprintMissing: project.requirements === null,
        approval,
        job,
        ahead: stagesAhead(project),
      },
    };
  });

  return router;
}

/** The job facts a person needs to see why it is stuck: its attempts, last error, next retry and who holds it. */
function jobPart(job: Part<JobView>) {
  if ('unavailable' in job) return job;
  const { id, status, attempts, maxAttempts, error, nextRunAt, lockedBy, leaseExpiresAt, kind } = job;
  return {
    id,
    kind,
    status,
    attempts,
    maxAttempts,
    lastError: error ?? null,
    nextRunAt,
    lockedBy,
    leaseExpiresAt,
  };
}

function summaryLine(project: ProjectState, reasons: BlockedReason[]): string {
  const stage = project.stages[project.currentStage];
  if (project.status !== 'active') return `the project is ${project.status}`;
  const reason = reasons[0];
  if (reason) return `${project.currentStage} is ${stage.status}: ${reason.message}`;
  if (stage.note) return `${project.currentStage} is ${stage.status}: ${stage.note}`;
  return `${project.currentStage} is ${stage.status}`;
}
