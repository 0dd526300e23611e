import { describe, expect, test } from 'vitest';
import type { Session } from '../../api/answers';
import { fileChangeRule, permissionsOf } from './permissions';

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
      decideDefects: true,
      operateJobs: false,
    });
    expect(permissionsOf(session(['delivery_manager'], 'dm-2'), active)).toEqual({
      manage: false,
      loosenReview: false,
      archive: false,
      restore: false,
      upload: false,
      move: false,
      decideDefects: false,
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

  test('QA leads decide defects on every project; an assignee or an operator does not', () => {
    expect(permissionsOf(session(['qa_lead'], 'qa-1'), active)).toMatchObject({
      decideDefects: true,
      move: false,
    });
    expect(permissionsOf(session(['viewer'], 'dev-1'), active).decideDefects).toBe(false);
    expect(permissionsOf(session(['operator']), active).decideDefects).toBe(false);
  });

  test('a file is replaced or withdrawn by its uploader, the manager or an admin, while the project is open', () => {
    const byDev1 = { uploadedBy: { kind: 'user', id: 'dev-1' } };
    expect(fileChangeRule(session(['viewer'], 'dev-1'), active)(byDev1)).toBe(true);
    expect(fileChangeRule(session(['delivery_manager'], 'dm-1'), active)(byDev1)).toBe(true);
    expect(fileChangeRule(session(['admin']), active)(byDev1)).toBe(true);
    expect(fileChangeRule(session(['viewer'], 'dev-2'), active)(byDev1)).toBe(false);
    expect(fileChangeRule(session(['qa_lead'], 'qa-1'), active)(byDev1)).toBe(false);
    expect(fileChangeRule(session(['admin']), { ...active, status: 'completed' })(byDev1)).toBe(false);
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
      decideDefects: false,
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
