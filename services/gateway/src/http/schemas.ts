import { cursorParam } from '@delivery/service-kit';
import { z } from 'zod';
import { emailSchema } from '../domain/email.js';
import { PASSWORD_MIN_LENGTH } from '../domain/passwords.js';
import { personRolesSchema } from '../domain/roles.js';

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam.optional(),
};

const email = emailSchema;
const password = z.string().min(PASSWORD_MIN_LENGTH).max(1024);
const name = z.string().trim().min(1).max(200);

export const loginBody = z.object({ email, password: z.string().min(1).max(1024) });
export const acceptInvitationBody = z.object({ token: z.string().min(1).max(200), password });
export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: password,
});

export const createKeyBody = z.object({
  name,
  /** A subset of the caller's roles; all of them when left out. */
  roles: personRolesSchema.optional(),
});
const keyId = z.string().regex(/^[A-Za-z0-9]{16}$/, 'not an API key id');
export const keyParams = z.object({ id: keyId });

export const inviteUserBody = z.object({ email, name, roles: personRolesSchema });
export const userParams = z.object({ id: z.uuid() });
export const userKeyParams = z.object({ id: z.uuid(), keyId });
export const updateUserBody = z
  .object({ name: name.optional(), roles: personRolesSchema.optional(), active: z.boolean().optional() })
  .refine((change) => Object.keys(change).length > 0, 'name, roles or active is needed');
export const listUsersQuery = z.object(page);

export const auditQuery = z.object({
  action: z.string().min(1).max(100).optional(),
  actorId: z.string().min(1).max(200).optional(),
  ...page,
});
