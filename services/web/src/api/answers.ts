/**
 * The answers the app reads, named once: each is the type of a route's answer in the route
 * contracts (`ApiResponse<'GET /api/...'>`), or a type the contracts export, so the app reads
 * exactly what the services promise and a change there shows up here at compile time.
 * Types only: nothing here reaches the bundle.
 */
import type { ApiResponse } from './client';

export type { GateConfig, GatePoint, Responsibility } from '@delivery/contracts';
export type { JobStatus } from '@delivery/contracts/job-statuses';

// ── hitl ─────────────────────────────────────────────────────────────────────────────────────

/** One request for approval (`GET /api/approvals`, the decisions). */
export type Approval = ApiResponse<'GET /api/approvals'>['items'][number];

/** `GET /api/gates/config`: the admins' gate per stage, with the revision a save names. */
export type GlobalGateConfigView = ApiResponse<'GET /api/gates/config'>;
export type GlobalGateConfig = GlobalGateConfigView['stages'];

/** `GET /api/projects/:projectId/gate-overrides`: a project's changes to its gates. */
export type GateOverridesView = ApiResponse<'GET /api/projects/:projectId/gate-overrides'>;
export type ProjectGateOverrides = GateOverridesView['stages'];

// ── every service's dead letters ─────────────────────────────────────────────────────────────

/** One dead-letter queue of a service (`GET /api/dead-letters/<service>`), every service alike. */
export type DeadLetterQueueReport = ApiResponse<'GET /api/dead-letters/pipeline'>['queues'][number];
/** A message in it (the service may tell more, a body or headers: "Inspect" shows it all). */
export type DeadLetter = DeadLetterQueueReport['messages'][number];
/** A replay's answer: the ids of the messages it sent back. */
export type ReplayResult = ApiResponse<'POST /api/dead-letters/pipeline/:queue/replay'>;

// ── pipeline ─────────────────────────────────────────────────────────────────────────────────

/** `GET /api/projects/:id`: the whole project. */
export type ProjectDetail = ApiResponse<'GET /api/projects/:id'>;
/** What the board lists of a project (`GET /api/projects`). */
export type ProjectSummary = ApiResponse<'GET /api/projects'>['items'][number];
/** `GET /api/projects/:id/pipeline`: every stage, the one awaiting approval, what blocks the current one. */
export type PipelineView = ApiResponse<'GET /api/projects/:id/pipeline'>;
/** A stage the project has not reached and what it will need (ready: nothing more). */
export type StageAhead = PipelineView['ahead'][number];
export type StageState = ProjectDetail['stages'][keyof ProjectDetail['stages']];
export type StageStatus = StageState['status'];
export type BlockedReason = StageState['blockedReasons'][number];
/** An onboarding question, snapshotted from the template's blueprint. */
export type FieldSpec = NonNullable<ProjectDetail['requirements']>['fields'][number];
/** A file the blueprint asks to be uploaded. */
export type ArtifactSpec = NonNullable<ProjectDetail['requirements']>['artifacts'][number];
/** An uploaded file (`GET /api/projects/:id/artifacts`, an upload's answer). */
export type StoredFile = ApiResponse<'GET /api/projects/:id/artifacts'>[number];
export type TimelineEntry = ApiResponse<'GET /api/projects/:id/timeline'>['items'][number];
/** `GET /api/projects/:id/why`: why the project is where it is. */
export type WhyView = ApiResponse<'GET /api/projects/:id/why'>;
/** A part of `why` another service could not answer. */
export type Unavailable = Extract<NonNullable<WhyView['job']>, { unavailable: true }>;
/** The stage's job as `why` summarises it. */
export type WhyJob = Exclude<NonNullable<WhyView['job']>, Unavailable>;

// ── job-runner ───────────────────────────────────────────────────────────────────────────────

/** `GET /api/jobs/:id`: a job with its payload, result and attempt history. */
export type Job = ApiResponse<'GET /api/jobs/:id'>;
/** A job as `GET /api/jobs` lists it (no payload, result or history). */
export type JobSummary = ApiResponse<'GET /api/jobs'>['items'][number];
export type JobStats = ApiResponse<'GET /api/jobs/stats'>;

// ── template-blueprint ───────────────────────────────────────────────────────────────────────

/** `GET /api/templates/:id`: a template with its current content and published versions. */
export type Template = ApiResponse<'GET /api/templates/:id'>;
export type TemplateSummary = ApiResponse<'GET /api/templates'>['items'][number];
export type TemplateContent = Template['content'];
export type TemplateField = TemplateContent['fields'][number];
export type TemplateArtifact = TemplateContent['artifacts'][number];
export type StageItem = NonNullable<
  TemplateContent['stages'][keyof TemplateContent['stages']]
>['tasks'][number];
/** `GET /api/templates/:id/versions/:version`: a frozen published version (or the draft). */
export type TemplateVersion = ApiResponse<'GET /api/templates/:id/versions/:version'>;
/** A blueprint run with what its generator wrote (`GET /api/blueprint-runs/:runId`). */
export type BlueprintRun = ApiResponse<'GET /api/blueprint-runs/:runId'>;
/** A run as `GET /api/templates/:id/blueprint/runs` lists it (without what the generator wrote). */
export type BlueprintRunSummary = ApiResponse<'GET /api/templates/:id/blueprint/runs'>['items'][number];
export type RunStatus = BlueprintRun['status'];
export type Blueprint = NonNullable<BlueprintRun['blueprint']>;
/** `GET /api/templates/:id/blueprint/status`. */
export type BlueprintStatus = ApiResponse<'GET /api/templates/:id/blueprint/status'>;

// ── gateway ──────────────────────────────────────────────────────────────────────────────────

/** `GET /api/auth/session`: who is signed in, the roles they act with, the CSRF token. */
export type Session = ApiResponse<'GET /api/auth/session'>;
/** One of the signed-in person's API keys (never its secret): `GET /api/keys`. */
export type ApiKeyView = ApiResponse<'GET /api/keys'>['items'][number];
/** The answer to creating a key: the only time `key`, its secret, is ever shown. */
export type CreatedApiKey = ApiResponse<'POST /api/keys'>;
