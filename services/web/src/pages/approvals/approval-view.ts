import { RESPONSIBILITY_LABELS } from '@delivery/contracts/responsibilities';
import { STAGES } from '@delivery/contracts/stages';
import type { Approval, GatePoint } from '../../api/answers';
import type { ApiQuery } from '../../api/client';
import { ApiError } from '../../api/client';
import { STAGE_LABELS } from '../../stage-labels';

/** The project as a person knows it: the name the pipeline put in the context, else its id. */
export function projectNameOf(approval: Approval): string {
  const name = approval.context.projectName;
  return typeof name === 'string' && name.trim() ? name : approval.projectId;
}

/** The article's title, also its accessible name: "Acme site · Build". */
export const titleOf = (approval: Approval) => `${projectNameOf(approval)} · ${STAGE_LABELS[approval.stage]}`;

export const GATE_POINT_LABELS: Record<GatePoint, string> = {
  before: 'Before the stage: approval to start it',
  after: 'After the stage: review of its output',
};

/** Context worth showing beside the title (the project name already is the title). */
export function contextEntries(context: Record<string, unknown>): [string, string][] {
  return Object.entries(context)
    .filter(([key, value]) => key !== 'projectName' && value !== null && value !== undefined && value !== '')
    .map(([key, value]) => [labelOf(key), typeof value === 'string' ? value : JSON.stringify(value)]);
}

/** `projectName` → "Project name", `due_date` → "Due date". */
const labelOf = (key: string) => {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The people whose work the approval reviews, each with what they did: "Bea (uploaded an artifact)". */
export const responsibleEntries = (approval: Approval): { id: string; text: string }[] =>
  approval.responsiblePeople.map((person) => ({
    id: person.id,
    text: `${person.name} (${person.reasons.map((reason) => RESPONSIBILITY_LABELS[reason]).join(', ')})`,
  }));

/** "2 d 3 h left", "1 h 5 min left", "less than a minute left", or "expired". */
export function timeLeft(expiresAt: string, now: number): string {
  const ms = new Date(expiresAt).getTime() - now;
  if (!(ms > 0)) return 'expired';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute left';
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h left`;
  if (hours > 0) return `${hours} h ${rest} min left`;
  return `${rest} min left`;
}

/** "1 of 2 approvals" */
export const votesProgress = (approval: Approval) =>
  `${approval.votes.length} of ${approval.gate.approvalsNeeded} approval${approval.gate.approvalsNeeded === 1 ? '' : 's'}`;

/** Sending back asks for rework, so it must say what to change (the API says the same). */
export function sendBackProblem(comment: string): string | undefined {
  return comment.trim() ? undefined : 'Say what needs rework before sending back';
}

/**
 * A refused decision as the person should read it: the API's own message, prefixed by what kind
 * of refusal it is (403: this person may not; 409: the approval's state no longer allows it).
 */
export function decisionErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 403) return `You may not decide this approval: ${error.message}`;
  if (error.status === 409) {
    const status = typeof error.details?.status === 'string' ? error.details.status.replace('_', ' ') : '';
    const already = status && status !== 'pending' ? ` (it is ${status})` : '';
    return `This approval can no longer be decided: ${error.message}${already}`;
  }
  if (error.status === 404) return `This approval no longer exists: ${error.message}`;
  return error.message;
}

/**
 * The inbox filters the URL carries (so a filtered inbox can be shared), as the API's query; a
 * stage the app does not know is left out rather than sent to be refused.
 */
export function inboxQueryOf(params: URLSearchParams, cursor?: string): ApiQuery<'GET /api/approvals'> {
  const stage = STAGES.find((known) => known === params.get('stage'));
  return {
    limit: 50,
    ...(params.get('projectId') ? { projectId: params.get('projectId') as string } : {}),
    ...(stage ? { stage } : {}),
    ...(params.get('role') ? { role: params.get('role') as string } : {}),
    ...(cursor ? { cursor } : {}),
  };
}
