import type { Identity } from '@delivery/contracts';
import { isRefused } from './fact-changes.js';
import { changeManagement, type ManagementChange } from './management.js';
import { newProjectState } from './new-project.js';

const project = (requireManualReview: boolean) =>
  newProjectState(
    {
      id: 'p-1',
      name: 'Apollo',
      client: 'Acme',
      templateId: 't-1',
      templateVersion: 1,
      deliveryManagerId: 'dm-1',
      requireManualReview,
      requirements: null,
    },
    new Date(0),
  );
const person = (id: string, ...roles: string[]): Identity => ({ kind: 'user', id, name: id, roles });
const admin = person('admin-1', 'admin');
const manager = person('dm-1', 'delivery_manager');
const otherManager = person('dm-2', 'delivery_manager');

const outcome = (who: Identity, change: ManagementChange, manualReview = false) => {
  const result = changeManagement(project(manualReview), who, change);
  return isRefused(result)
    ? result.refused
    : { deliveryManagerId: result.deliveryManagerId, requireManualReview: result.requireManualReview };
};

test.each([
  [
    'the manager hands over',
    manager,
    { deliveryManagerId: 'dm-2' },
    false,
    { deliveryManagerId: 'dm-2', requireManualReview: false },
  ],
  [
    'the manager switches review on',
    manager,
    { requireManualReview: true },
    false,
    { deliveryManagerId: 'dm-1', requireManualReview: true },
  ],
  ['the manager may not switch review off', manager, { requireManualReview: false }, true, 'forbidden'],
  [
    'keeping review off is no loosening',
    manager,
    { requireManualReview: false },
    false,
    { deliveryManagerId: 'dm-1', requireManualReview: false },
  ],
  [
    'an admin switches review off',
    admin,
    { requireManualReview: false },
    true,
    { deliveryManagerId: 'dm-1', requireManualReview: false },
  ],
  [
    'an admin names a manager',
    admin,
    { deliveryManagerId: 'dm-3' },
    false,
    { deliveryManagerId: 'dm-3', requireManualReview: false },
  ],
  ['another manager may not take it', otherManager, { deliveryManagerId: 'dm-2' }, false, 'forbidden'],
  [
    'a service may not',
    { kind: 'service', id: 'hitl', name: 'hitl', roles: ['service'] } as Identity,
    { requireManualReview: true },
    false,
    'forbidden',
  ],
] as const)('%s', (_name, who, change, manualReview, expected) => {
  expect(outcome(who, change, manualReview)).toEqual(expected);
});

test('an archived project keeps its manager', () => {
  const archived = { ...project(false), status: 'archived' as const };
  expect(changeManagement(archived, admin, { deliveryManagerId: 'dm-2' })).toMatchObject({
    refused: 'conflict',
  });
});
