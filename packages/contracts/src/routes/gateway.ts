import { z } from 'zod';
import { defineRoute, json, jsonBody, noContent } from '../http/route-contract.js';
import { ROLES } from '../identity.js';
import {
  acceptInvitationBody,
  accessAuditPageSchema,
  accountPageSchema,
  accountSchema,
  apiKeyListSchema,
  apiKeySchema,
  auditQuery,
  changePasswordBody,
  createdApiKeySchema,
  createKeyBody,
  eventsQuery,
  invitedUserSchema,
  inviteUserBody,
  keyParams,
  listUsersQuery,
  loginBody,
  passwordChangedSchema,
  sessionSchema,
  signedInSchema,
  unlockedUserSchema,
  updateUserBody,
  userKeyParams,
  userParams,
} from './gateway-schemas.js';

export * from './gateway-schemas.js';

/** Accounts, anyone's keys and the access audit: admins' business only. */
const ADMINS = [ROLES.admin] as const;

/**
 * The routes the gateway answers itself, at the paths it serves them (already under `/api`):
 * signing in, sessions, API keys, accounts, the access audit, live events and the API document.
 * Everything else under `/api` is a service's (SERVICE_ROUTES).
 */
export const gatewayRoutes = {
  login: defineRoute({
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Sign in: sets the session cookie and answers with the CSRF token for state-changing requests',
    public: true,
    body: jsonBody(loginBody),
    responses: {
      200: json('the account and its session’s CSRF token', signedInSchema),
      401: 'not signed in, whatever the reason (unknown email, wrong password, deactivated, or this address must wait for this account): always the same answer',
      429: 'too many attempts from this address (any accounts) in a minute',
    },
  }),
  logout: defineRoute({
    method: 'POST',
    path: '/api/auth/logout',
    summary: 'Sign out: ends the session on the server (and its live-event streams)',
    responses: { 204: noContent('signed out'), 422: 'called with an API key: revoke the key instead' },
  }),
  session: defineRoute({
    method: 'GET',
    path: '/api/auth/session',
    summary: 'Who is signed in, with which roles, and the session’s CSRF token',
    responses: { 200: json('the caller', sessionSchema) },
  }),
  acceptInvitation: defineRoute({
    method: 'POST',
    path: '/api/auth/accept-invitation',
    summary: 'Set the password of an invited account with its one-time invitation token',
    public: true,
    body: jsonBody(acceptInvitationBody),
    responses: {
      200: json('the account, which may now sign in', z.object({ user: accountSchema })),
      422: 'unknown, used or expired invitation',
    },
  }),
  changePassword: defineRoute({
    method: 'POST',
    path: '/api/auth/password',
    summary: 'Change one’s password (signs out every other session and revokes every API key)',
    relation: 'one’s own password, from a signed-in session',
    body: jsonBody(changePasswordBody),
    responses: {
      200: json(
        'the account, this session’s new CSRF token, and how many API keys the change revoked',
        passwordChangedSchema,
      ),
      403: 'wrong current password',
      422: 'called with an API key, not from a signed-in session',
      429: 'too many wrong passwords from this address: wait',
    },
  }),

  createKey: defineRoute({
    method: 'POST',
    path: '/api/keys',
    summary: 'Create an API key for oneself with some of one’s roles; the key is in this answer only',
    relation: 'for oneself, from a signed-in session, with roles one holds',
    body: jsonBody(createKeyBody),
    responses: {
      201: json('the key (`key`, shown this once) and its description', createdApiKeySchema),
      403: 'roles not held, or called with an API key',
    },
  }),
  listKeys: defineRoute({
    method: 'GET',
    path: '/api/keys',
    summary: 'One’s API keys, revoked ones included, with last use (never the secrets)',
    relation: 'one’s own keys',
    responses: { 200: json('the keys, newest first', apiKeyListSchema) },
  }),
  revokeKey: defineRoute({
    method: 'DELETE',
    path: '/api/keys/:id',
    summary: 'Revoke one of one’s API keys, at once (its live-event streams end)',
    relation: 'one’s own key',
    params: keyParams,
    responses: { 200: json('the revoked key', apiKeySchema), 404: 'no such key of yours' },
  }),

  listUsers: defineRoute({
    method: 'GET',
    path: '/api/users',
    summary: 'Accounts, newest first',
    roles: ADMINS,
    query: listUsersQuery,
    responses: { 200: json('a page of accounts', accountPageSchema) },
  }),
  inviteUser: defineRoute({
    method: 'POST',
    path: '/api/users',
    summary: 'Invite a person: the answer carries their one-time invitation token (no mail is sent)',
    roles: ADMINS,
    body: jsonBody(inviteUserBody),
    responses: {
      201: json('the account and the invitation', invitedUserSchema),
      409: 'an account with that email exists',
    },
  }),
  getUser: defineRoute({
    method: 'GET',
    path: '/api/users/:id',
    summary: 'One account',
    roles: ADMINS,
    params: userParams,
    responses: { 200: json('the account', accountSchema), 404: 'no such account' },
  }),
  updateUser: defineRoute({
    method: 'PATCH',
    path: '/api/users/:id',
    summary:
      'Change an account’s name or roles, or deactivate it (ends its sessions and revokes its API keys for good)',
    relation: 'any account but one’s own for deactivating or dropping the admin role',
    roles: ADMINS,
    params: userParams,
    body: jsonBody(updateUserBody),
    responses: {
      200: json('the account as it is now', accountSchema),
      404: 'no such account',
      409: 'would lock the caller out (deactivating themselves or dropping their own admin role)',
    },
  }),
  unlockUser: defineRoute({
    method: 'POST',
    path: '/api/users/:id/unlock',
    summary:
      'Clear an account’s sign-in throttling, from every address, at once (wrong passwords never lock, but make addresses wait); audited',
    roles: ADMINS,
    params: userParams,
    responses: {
      200: json('the account, and how many throttling records were removed', unlockedUserSchema),
      404: 'no such account',
    },
  }),
  listUserKeys: defineRoute({
    method: 'GET',
    path: '/api/users/:id/keys',
    summary: 'An account’s API keys, revoked ones included, with last use (never the secrets)',
    roles: ADMINS,
    params: userParams,
    responses: { 200: json('the keys, newest first', apiKeyListSchema), 404: 'no such account' },
  }),
  revokeUserKey: defineRoute({
    method: 'DELETE',
    path: '/api/users/:id/keys/:keyId',
    summary: 'Revoke an account’s API key, at once (audited)',
    roles: ADMINS,
    params: userKeyParams,
    responses: { 200: json('the revoked key', apiKeySchema), 404: 'no such key of that account' },
  }),
  audit: defineRoute({
    method: 'GET',
    path: '/api/audit',
    summary: 'The access audit: sign-ins, sign-outs, keys, account changes; newest first',
    roles: ADMINS,
    query: auditQuery,
    responses: { 200: json('a page of audit entries', accessAuditPageSchema) },
  }),

  events: defineRoute({
    method: 'GET',
    path: '/api/events',
    summary: 'Live events (Server-Sent Events): stage changes, jobs, approvals, blueprint runs',
    description:
      'Event name = routing key, data = the envelope. Reconnect with Last-Event-ID to get what was missed, or an `event: resync` telling the client to refetch.',
    query: eventsQuery,
    responses: {
      200: { description: 'the event stream', contentType: 'text/event-stream' },
      429: 'the caller has too many streams open already',
      503: 'live events are not available on this replica now (shutting down, or too many streams): retry',
    },
  }),
  openApiDocument: defineRoute({
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This document: OpenAPI 3.1, generated from the route contracts',
    public: true,
    // Written once when the gateway starts, and sent as it is.
    responses: { 200: { description: 'the document', contentType: 'application/json' } },
  }),
  docsPage: defineRoute({
    method: 'GET',
    path: '/api/docs',
    summary: 'The API docs page (Swagger UI), served with its assets by the gateway itself',
    public: true,
    responses: { 200: { description: 'an HTML page', contentType: 'text/html' } },
  }),
} as const;
