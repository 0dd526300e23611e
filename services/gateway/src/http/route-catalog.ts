import { jsonBody, type RouteSpec } from '@delivery/contracts';
import { eventsQuery } from '../events/event-routes.js';
import { openApiRouteSpecs } from '../openapi/openapi-routes.js';
import {
  acceptInvitationBody,
  auditQuery,
  changePasswordBody,
  createKeyBody,
  inviteUserBody,
  keyParams,
  listUsersQuery,
  loginBody,
  updateUserBody,
  userKeyParams,
  userParams,
} from './schemas.js';

/** The gateway's own routes, for the API document (the services' come from their catalogs). */
export const gatewayRouteCatalog: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Sign in: sets the session cookie and answers with the CSRF token for state-changing requests',
    public: true,
    body: jsonBody(loginBody),
    responses: {
      200: 'the account and csrfToken',
      401: 'not signed in, whatever the reason (unknown email, wrong password, deactivated, or this address must wait for this account): always the same answer',
      429: 'too many attempts from this address (any accounts) in a minute',
    },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    summary: 'Sign out: ends the session on the server',
    responses: { 204: 'signed out', 422: 'called with an API key' },
  },
  {
    method: 'GET',
    path: '/api/auth/session',
    summary: 'Who is signed in, with which roles, and the session’s CSRF token',
    responses: { 200: 'the account, roles, via (session or api_key), csrfToken' },
  },
  {
    method: 'POST',
    path: '/api/auth/accept-invitation',
    summary: 'Set the password of an invited account with its one-time invitation token',
    public: true,
    body: jsonBody(acceptInvitationBody),
    responses: { 200: 'the account', 422: 'unknown, used or expired invitation' },
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    summary: 'Change one’s password (signs out every other session and revokes every API key)',
    body: jsonBody(changePasswordBody),
    responses: {
      200: 'the account, a new csrfToken, and revokedKeys: how many of one’s API keys the change revoked',
      403: 'wrong current password',
      429: 'too many wrong passwords from this address: wait',
    },
  },
  {
    method: 'POST',
    path: '/api/keys',
    summary: 'Create an API key for oneself with some of one’s roles; the key is in this answer only',
    body: jsonBody(createKeyBody),
    responses: { 201: 'the key and its description', 403: 'roles not held, or called with a key' },
  },
  {
    method: 'GET',
    path: '/api/keys',
    summary: 'One’s API keys, with last use',
    responses: { 200: 'the keys' },
  },
  {
    method: 'DELETE',
    path: '/api/keys/:id',
    summary: 'Revoke one of one’s API keys, at once',
    params: keyParams,
    responses: { 200: 'the revoked key', 404: 'no such key of yours' },
  },
  {
    method: 'GET',
    path: '/api/users',
    summary: 'Accounts, newest first',
    roles: ['admin'],
    query: listUsersQuery,
    responses: { 200: 'a page of accounts' },
  },
  {
    method: 'POST',
    path: '/api/users',
    summary: 'Invite a person: the answer carries their one-time invitation token',
    roles: ['admin'],
    body: jsonBody(inviteUserBody),
    responses: { 201: 'the account and the invitation', 409: 'an account with that email exists' },
  },
  {
    method: 'GET',
    path: '/api/users/:id',
    summary: 'One account',
    roles: ['admin'],
    params: userParams,
    responses: { 200: 'the account', 404: 'no such account' },
  },
  {
    method: 'PATCH',
    path: '/api/users/:id',
    summary:
      'Change an account’s name or roles, or deactivate it (ends its sessions and revokes its API keys for good)',
    roles: ['admin'],
    params: userParams,
    body: jsonBody(updateUserBody),
    responses: { 200: 'the account', 404: 'no such account', 409: 'would lock the caller out' },
  },
  {
    method: 'POST',
    path: '/api/users/:id/unlock',
    summary:
      'Clear an account’s sign-in throttling, from every address, at once (wrong passwords never lock, but make addresses wait); audited',
    roles: ['admin'],
    params: userParams,
    responses: {
      200: 'the account, and cleared: how many throttling records were removed',
      404: 'no such account',
    },
  },
  {
    method: 'GET',
    path: '/api/users/:id/keys',
    summary: 'An account’s API keys, revoked ones included, with last use (never the secrets)',
    roles: ['admin'],
    params: userParams,
    responses: { 200: 'the keys', 404: 'no such account' },
  },
  {
    method: 'DELETE',
    path: '/api/users/:id/keys/:keyId',
    summary: 'Revoke an account’s API key, at once (audited)',
    roles: ['admin'],
    params: userKeyParams,
    responses: { 200: 'the revoked key', 404: 'no such key of that account' },
  },
  {
    method: 'GET',
    path: '/api/audit',
    summary: 'The access audit: sign-ins, sign-outs, keys, account changes; newest first',
    roles: ['admin'],
    query: auditQuery,
    responses: { 200: 'a page of audit entries' },
  },
  {
    method: 'GET',
    path: '/api/events',
    summary: 'Live events (Server-Sent Events): stage changes, jobs, approvals, blueprint runs',
    description:
      'Event name = routing key, data = the envelope. Reconnect with Last-Event-ID to get what was missed, or an `event: resync` telling the client to refetch.',
    query: eventsQuery,
    responses: { 200: 'text/event-stream' },
  },
  ...openApiRouteSpecs,
];
