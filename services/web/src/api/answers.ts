/**
 * The answers the app reads, named once: each is the type of a route's answer in the route
 * contracts (`ApiResponse<'GET /api/...'>`), or a type the contracts export, so the app reads
 * exactly what the services promise and a change there shows up here at compile time.
 * Types only: nothing here reaches the bundle.
 */
import type { ApiResponse } from './client';

export type { GateConfig, GatePoint, Responsibility } from '@delivery/contracts';

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
