import { describe, expect, test } from 'vitest';
import type { Session } from '../../api/types';
import { permissionsOf } from './permissions';

const session = (roles: string[], id = 'u1'): Session => ({
  user: { id, email: `${id}@example.com`, name: id, roles },
  roles,
  via: 'session',
});
const active = { status: 'active', assignees: [{ id: 'dev-1' }] };

describe('what a person may do on a project', () => {
  test('follows the API role rules', () => {
    expect(permissionsOf(session(['delivery_manager']), active)).toEqual({
      manage: true,
      upload: true,
      move: true,
      operateJobs: false,
    });
    expect(permissionsOf(session(['operator']), active)).toEqual({
      manage: false,
      upload: false,
      move: true,
      operateJobs: true,
    });
    expect(permissionsOf(session(['viewer']), active)).toEqual({
      manage: false,
      upload: false,
      move: false,
      operateJobs: false,
    });
  });

  test('an assignee may upload without a manager role', () => {
    expect(permissionsOf(session(['viewer'], 'dev-1'), active).upload).toBe(true);
  });

  test('a closed project takes no more changes, but its jobs stay operable', () => {
    expect(permissionsOf(session(['admin']), { ...active, status: 'completed' })).toEqual({
      manage: false,
      upload: false,
      move: false,
      operateJobs: true,
    });
  });
});
