import { describe, expect, test } from 'vitest';
import type { Session } from '../../api/answers';
import { permissionsOf } from './permissions';

const session = (roles: string[], id = 'u1'): Session => ({
  user: {
    id,
    email: `${id}@example.com`,
    name: id,
    roles,
    active: true,
    invited: false,
    createdAt: '2026-11-26T10:00:00Z',
    updatedAt: '2026-11-26T10:00:00Z',
  },
  roles,
  via: 'session',
});
const active = { status: 'active', deliveryManagerId: 'dm-1', assignees: [{ id: 'dev-1' }] };

describe('what a person may do on a project', () => {
  test("the project's own manager manages it; another delivery manager only looks", () => {
    expect(permissionsOf(session(['delivery_manager'], 'dm-1'), active)).toEqual({
      manage: true,
      loosenReview: false,
      archive: true,
      restore: false,
      upload: true,
      move: true,
      operateJobs: false,
    });
    expect(permissionsOf(session(['delivery_manager'], 'dm-2'), active)).toEqual({
      manage: false,
      loosenReview: false,
      archive: false,
      restore: false,
      upload: false,
      move: false,
      operateJobs: false,
    });
  });

  test('admins manage every project; operators move any and operate jobs; viewers look', () => {
    expect(permissionsOf(session(['admin']), active)).toMatchObject({
      manage: true,
      loosenReview: true,
      archive: true,
      upload: true,
      move: true,
      operateJobs: true,
    });
    expect(permissionsOf(session(['operator']), active)).toMatchObject({
      manage: false,
      archive: false,
      upload: false,
      move: true,
      operateJobs: true,
    });
    expect(permissionsOf(session(['viewer']), active)).toMatchObject({
      manage: false,
      upload: false,
      move: false,
    });
  });

  test('an assignee may upload without a manager role', () => {
    expect(permissionsOf(session(['viewer'], 'dev-1'), active).upload).toBe(true);
  });

  test('a closed project takes no more changes but may be archived; an archived one only restored', () => {
    expect(permissionsOf(session(['admin']), { ...active, status: 'completed' })).toEqual({
      manage: false,
      loosenReview: false,
      archive: true,
      restore: false,
      upload: false,
      move: false,
      operateJobs: true,
    });
    expect(
      permissionsOf(session(['delivery_manager'], 'dm-1'), { ...active, status: 'archived' }),
    ).toMatchObject({
      manage: false,
      archive: false,
      restore: true,
    });
  });
});
