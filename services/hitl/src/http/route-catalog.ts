import { jsonBody, ROLES, type RouteSpec } from '@delivery/contracts';
import { deadLetterRouteSpecs } from '@delivery/service-kit';
import {
  approvalParams,
  approveBody,
  auditQuery,
  globalConfigBody,
  inboxQuery,
  overridesBody,
  projectApprovalsQuery,
  projectParams,
  resolveQuery,
  sendBackBody,
} from './schemas.js';

const decisionRefusals = {
  403: "the caller may not decide it (not one of the gate's approver roles; or, to approve, their own request or work: `self_approval`)",
  404: 'no such approval',
  409: 'the approval is no longer pending, has expired, or already has this person’s vote',
};

/** Every route hitl serves but the probes, with the schemas each parses its input with. */
export const hitlRouteCatalog: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/approvals',
    summary: 'The approvals inbox: pending approvals the caller may still decide, newest first',
    query: inboxQuery,
    responses: { 200: '`{ items, nextCursor }`' },
  },
  {
    method: 'GET',
    path: '/approvals/:id',
    summary: 'An approval with its audit trail, and whether the caller may decide it (and if not, why)',
    params: approvalParams,
    responses: {
      200: 'the approval (with `requestedBy` and `responsiblePeople`, whose work it reviews), `audit` and `caller: { approve, sendBack, why }`',
      404: 'no such approval',
    },
  },
  {
    method: 'POST',
    path: '/approvals/:id/approve',
    summary: 'Votes to approve; the approval is granted once it has the votes its gate needs',
    description:
      "Needs one of the gate's approver roles. Unless the gate allows self-approval, neither the requester nor the people responsible for the work (`responsiblePeople`) may approve, whoever asked for the gate.",
    params: approvalParams,
    body: jsonBody(approveBody, { optional: true }),
    responses: { 200: 'the approval after the vote', ...decisionRefusals },
  },
  {
    method: 'POST',
    path: '/approvals/:id/send-back',
    summary: 'Sends the stage back for rework, saying what to change',
    description:
      "Needs one of the gate's approver roles; the people responsible for the work may send it back too (it lets nothing through).",
    params: approvalParams,
    body: jsonBody(sendBackBody),
    responses: { 200: 'the approval, sent back', ...decisionRefusals },
  },
  {
    method: 'GET',
    path: '/projects/:projectId/approvals',
    summary: "A project's approvals, optionally of one stage or status",
    params: projectParams,
    query: projectApprovalsQuery,
    responses: { 200: '`{ items }`' },
  },
  {
    method: 'GET',
    path: '/projects/:projectId/audit',
    summary: "A project's audit trail: its approvals' lives and its gate override changes, newest first",
    params: projectParams,
    query: auditQuery,
    responses: { 200: '`{ items, nextCursor }`' },
  },
  {
    method: 'GET',
    path: '/gates/config',
    summary: 'The global gate configuration: per stage whether it needs approval, by whom, how many',
    responses: { 200: 'the configuration with its revision' },
  },
  {
    method: 'PUT',
    path: '/gates/config',
    summary: 'Replaces the global gate configuration of the stages given',
    description: 'Give `expectedRevision` to refuse the change when someone changed it since you read it.',
    roles: [ROLES.admin],
    body: jsonBody(globalConfigBody),
    responses: { 200: 'the new configuration', 409: 'the configuration changed since `expectedRevision`' },
  },
  {
    method: 'GET',
    path: '/gates/config/audit',
    summary: 'Changes to the global gate configuration, newest first',
    responses: { 200: '`{ items }`' },
  },
  {
    method: 'GET',
    path: '/projects/:projectId/gate-overrides',
    summary: "A project's overrides of the global gate configuration",
    params: projectParams,
    responses: { 200: 'the overrides with their revision' },
  },
  {
    method: 'PUT',
    path: '/projects/:projectId/gate-overrides',
    summary: "Changes a project's gate overrides (null drops a stage's override)",
    description:
      "Needs the admin role or being the project's delivery manager. Only an admin may loosen a gate " +
      'below what applies without the override (not required, another point, an added approver ' +
      'role, fewer approvals, a longer expiry, self-approval); dropping an override is never a loosening.',
    roles: [ROLES.admin, ROLES.deliveryManager],
    params: projectParams,
    body: jsonBody(overridesBody),
    responses: {
      200: 'the new overrides',
      403: "not an admin or the project's delivery manager, or `override_loosens_gate` naming `details.fields`",
      409: 'the overrides changed since `expectedRevision`',
    },
  },
  {
    method: 'GET',
    path: '/gates/resolve',
    summary: "The gate that applies to a project's stage, and why: global config, overrides, project facts",
    query: resolveQuery,
    responses: { 200: 'the resolved gate, what it asks before and after the stage, and the project facts' },
  },
  ...deadLetterRouteSpecs,
];
