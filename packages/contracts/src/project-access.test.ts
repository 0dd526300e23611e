import type { Identity } from './identity.js';
import { mayChangeFile, mayDecideDefects, type ProjectRelations } from './project-access.js';

const person = (id: string, roles: string[]): Identity => ({ kind: 'user', id, name: id, roles });
const project: ProjectRelations = { deliveryManagerId: 'dm-1', assigneeIds: ['dev-1', 'dev-2'] };
const uploadedByDev1 = { uploadedBy: { kind: 'user', id: 'dev-1' } };

describe('who may replace or withdraw an uploaded file: the relation decides, not the role alone', () => {
  test.each([
    ['its uploader', person('dev-1', ['developer']), true],
    ['its uploader, no longer assigned', person('dev-1', []), true],
    ['the project’s delivery manager', person('dm-1', ['delivery_manager']), true],
    ['an admin', person('root', ['admin']), true],
    ['another assignee', person('dev-2', ['developer']), false],
    ['a QA lead', person('qa-1', ['qa_lead']), false],
    ['another project’s delivery manager', person('dm-2', ['delivery_manager']), false],
    ['an operator', person('op-1', ['operator']), false],
    ['a service named like the uploader', { ...person('dev-1', []), kind: 'service' as const }, false],
  ])('%s: %s', (_who, identity, allowed) => {
    expect(mayChangeFile(identity, project, uploadedByDev1)).toBe(allowed);
  });
});

describe('who may decide defects: QA leads, the project’s manager, admins', () => {
  test.each([
    ['a QA lead', person('qa-1', ['qa_lead']), true],
    ['the project’s delivery manager', person('dm-1', ['delivery_manager']), true],
    ['an admin', person('root', ['admin']), true],
    ['an assignee', person('dev-1', ['developer']), false],
    ['another project’s delivery manager', person('dm-2', ['delivery_manager']), false],
    ['an operator', person('op-1', ['operator']), false],
    ['a service holding qa_lead', { ...person('svc', ['qa_lead']), kind: 'service' as const }, false],
  ])('%s: %s', (_who, identity, allowed) => {
    expect(mayDecideDefects(identity, project)).toBe(allowed);
  });
});
