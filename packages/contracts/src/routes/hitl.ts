import { defineRoute, json, jsonBody } from '../http/route-contract.js';
import { ROLES } from '../identity.js';
import {
  approvalIdParams,
  approvalInboxQuery,
  approveBody,
  gateOverridesBody,
  gateResolveQuery,
  globalGateConfigBody,
  projectApprovalsQuery,
  projectAuditQuery,
  projectIdParams,
  sendBackBody,
} from './hitl-inputs.js';
import {
  approvalDetailSchema,
  approvalInboxSchema,
  approvalViewSchema,
  gateConfigAuditSchema,
  gateOverridesViewSchema,
  gateResolutionSchema,
  globalGateConfigViewSchema,
  projectApprovalsSchema,
  projectAuditSchema,
} from './hitl-views.js';

export * from './hitl-inputs.js';
export * from './hitl-views.js';

const decisionRefusals = {
  403: "the caller may not decide it (not one of the gate's approver roles, `missing_role` with `details.requiredRoles`; or, to approve, their own request or work: `self_approval`)",
  404: 'no such approval',
  409: 'the approval is no longer pending, has expired, or already has this person’s vote',
} as const;

/** Every route hitl serves but the probes (and the dead-letter routes every service serves). */
export const hitlRoutes = {
  listApprovals: defineRoute({
    method: 'GET',
    path: '/approvals',
    summary: 'The approvals inbox: pending approvals the caller may still decide, newest first',
    query: approvalInboxQuery,
    responses: { 200: json('a page of approvals', approvalInboxSchema) },
  }),
  getApproval: defineRoute({
    method: 'GET',
    path: '/approvals/:id',
    summary: 'An approval with its audit trail, and whether the caller may decide it (and if not, why)',
    params: approvalIdParams,
    responses: {
      200: json(
        'the approval (with `requestedBy` and `responsiblePeople`, whose work it reviews), `audit` and `caller: { approve, sendBack, why }`',
        approvalDetailSchema,
      ),
      404: 'no such approval',
    },
  }),
  approve: defineRoute({
    method: 'POST',
    path: '/approvals/:id/approve',
    summary: 'Votes to approve; the approval is granted once it has the votes its gate needs',
    relation:
      "one of the gate's approver roles; unless the gate allows self-approval, neither the requester nor one of the people responsible for the work (`responsiblePeople`), whoever asked for the gate",
    params: approvalIdParams,
    body: jsonBody(approveBody, { optional: true }),
    responses: { 200: json('the approval after the vote', approvalViewSchema), ...decisionRefusals },
  }),
  sendBack: defineRoute({
    method: 'POST',
    path: '/approvals/:id/send-back',
    summary: 'Sends the stage back for rework, saying what to change',
    relation:
      "one of the gate's approver roles; the people responsible for the work may send it back too (it lets nothing through)",
    params: approvalIdParams,
    body: jsonBody(sendBackBody),
    responses: { 200: json('the approval, sent back', approvalViewSchema), ...decisionRefusals },
  }),
  listProjectApprovals: defineRoute({
    method: 'GET',
    path: '/projects/:projectId/approvals',
    summary: "A project's approvals, optionally of one stage or status, oldest first",
    params: projectIdParams,
    query: projectApprovalsQuery,
    responses: { 200: json("the project's approvals", projectApprovalsSchema) },
  }),
  projectAudit: defineRoute({
    method: 'GET',
    path: '/projects/:projectId/audit',
    summary: "A project's audit trail: its approvals' lives and its gate override changes, newest first",
    params: projectIdParams,
    query: projectAuditQuery,
    responses: { 200: json('a page of audit records', projectAuditSchema) },
  }),
  getGlobalGateConfig: defineRoute({
    method: 'GET',
    path: '/gates/config',
    summary: 'The global gate configuration: per stage whether it needs approval, by whom, how many',
    responses: { 200: json('the configuration with its revision', globalGateConfigViewSchema) },
  }),
  setGlobalGateConfig: defineRoute({
    method: 'PUT',
    path: '/gates/config',
    summary: 'Replaces the global gate configuration of the stages given',
    description: 'Give `expectedRevision` to refuse the change when someone changed it since you read it.',
    roles: [ROLES.admin],
    body: jsonBody(globalGateConfigBody),
    responses: {
      200: json('the new configuration', globalGateConfigViewSchema),
      409: 'the configuration changed since `expectedRevision`',
    },
  }),
  globalGateConfigAudit: defineRoute({
    method: 'GET',
    path: '/gates/config/audit',
    summary: 'Changes to the global gate configuration, newest first',
    responses: { 200: json('the change records', gateConfigAuditSchema) },
  }),
  getGateOverrides: defineRoute({
    method: 'GET',
    path: '/projects/:projectId/gate-overrides',
    summary: "A project's overrides of the global gate configuration",
    params: projectIdParams,
    responses: { 200: json('the overrides with their revision', gateOverridesViewSchema) },
  }),
  setGateOverrides: defineRoute({
    method: 'PUT',
    path: '/projects/:projectId/gate-overrides',
    summary: "Changes a project's gate overrides (null drops a stage's override)",
    description:
      'Only an admin may loosen a gate below what applies without the override (not required, ' +
      'another point, an added approver role, fewer approvals, a longer expiry, self-approval); ' +
      'dropping an override is never a loosening.',
    roles: [ROLES.admin, ROLES.deliveryManager],
    relation: "an admin, or the project's delivery manager",
    params: projectIdParams,
    body: jsonBody(gateOverridesBody),
    responses: {
      200: json('the new overrides', gateOverridesViewSchema),
      403: "not an admin or the project's delivery manager, or `override_loosens_gate` naming `details.fields`",
      409: 'the overrides changed since `expectedRevision`',
    },
  }),
  resolveGate: defineRoute({
    method: 'GET',
    path: '/gates/resolve',
    summary: "The gate that applies to a project's stage, and why: global config, overrides, project facts",
    query: gateResolveQuery,
    responses: {
      200: json(
        'the resolved gate, what it asks before and after the stage, and the project facts',
        gateResolutionSchema,
      ),
    },
  }),
} as const;
