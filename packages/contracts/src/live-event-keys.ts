/**
 * The routing keys of every event the gateway streams live (`GET /api/events`), as plain data
 * (`@delivery/contracts/live-events`): zod-free, so the web app listens for exactly these without
 * the schemas. `LIVE_EVENTS` (live-events.ts) holds their definitions, and a test keeps the two
 * lists equal: adding an event there fails until its key is here too.
 */
export const LIVE_ROUTING_KEYS = [
  'pipeline.project.stage_changed.v1',
  'pipeline.project.completed.v1',
  'jobs.job.queued.v1',
  'jobs.job.started.v1',
  'jobs.job.succeeded.v1',
  'jobs.job.failed.v1',
  'jobs.job.needs_human.v1',
  'jobs.job.canceled.v1',
  'jobs.job.retry_scheduled.v1',
  'hitl.gate.passed.v1',
  'hitl.approval.requested.v1',
  'hitl.approval.vote_recorded.v1',
  'hitl.approval.granted.v1',
  'hitl.approval.sent_back.v1',
  'hitl.approval.expired.v1',
  'hitl.approval.superseded.v1',
  'hitl.approval.withdrawn.v1',
  'blueprints.run.queued.v1',
  'blueprints.run.started.v1',
  'blueprints.run.succeeded.v1',
  'blueprints.run.failed.v1',
  'blueprints.run.canceled.v1',
] as const;

export type LiveRoutingKey = (typeof LIVE_ROUTING_KEYS)[number];
