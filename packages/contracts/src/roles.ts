// Zod-free, so project-access.ts (which the web app imports) has the roles without the schemas.

/**
 * Platform roles a route may require. Gate approver roles are any role name (a team's own, such
 * as `qa_lead`), so a role is a string; these are the ones the services themselves know.
 */
export const ROLES = {
  /** Changes global configuration and may do anything an operator may. */
  admin: 'admin',
  /** Runs the platform: jobs, dead letters, replays. */
  operator: 'operator',
  /** Runs delivery projects; the project's own manager may change its gate overrides. */
  deliveryManager: 'delivery_manager',
  /** Decides the defects of the defect validation stage, on every project (a gate may also ask for it). */
  qaLead: 'qa_lead',
  /** Held by every service identity (a service calling another), and only by them. */
  service: 'service',
} as const;
