import { jsonBody, multipartBody, ROLES, type RouteSpec } from '@delivery/contracts';
import { deadLetterRouteSpecs } from '@delivery/service-kit';
import { FILE_PART } from '../artifacts/single-file-form.js';
import {
  artifactListQuery,
  assignmentBody,
  confirmSaleBody,
  createProjectBody,
  listProjectsQuery,
  managementBody,
  onboardingBody,
  projectParams,
  resumeBody,
} from './schemas.js';

const MANAGERS = [ROLES.admin, ROLES.deliveryManager];
const MOVERS = [ROLES.admin, ROLES.deliveryManager, ROLES.operator];

const noProject = { 404: 'no such project' };
const stageMove = {
  ...noProject,
  403: "the caller is not an admin or this project's delivery manager (operators may also advance and resume)",
  409: "the project's state refuses it (the refusal says why and who can act)",
};
const uploadRefusals = {
  400: 'the form is not the one the route reads: one file, in the part named `file`',
  ...noProject,
  409: 'the project has no blueprint yet, so nothing says what to upload',
  413: 'the file is larger than allowed',
  415: 'not multipart/form-data, or a content type the blueprint does not accept',
  422: 'a name the blueprint does not ask for',
};

/** Every route the pipeline serves but the probes, with the schemas each parses its input with. */
export const pipelineRouteCatalog: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/projects/:id/artifacts',
    summary: "Uploads one of the artifacts the project's blueprint requires (streamed, checked, kept)",
    description:
      'Needs the admin or delivery_manager role, or being one of the project’s assignees. The `name` ' +
      'field (default: the filename) names the artifact.',
    roles: MANAGERS,
    body: multipartBody(FILE_PART, ['name']),
    responses: { 201: 'the stored file: id, name, size, sha256, content type', ...uploadRefusals },
  },
  {
    method: 'POST',
    path: '/projects/:id/test-reports',
    summary: 'Uploads a test report (JUnit XML) for the test stage',
    description: 'Needs the admin or delivery_manager role, or being one of the project’s assignees.',
    roles: MANAGERS,
    body: multipartBody(FILE_PART),
    responses: { 201: 'the stored file', ...uploadRefusals },
  },
  {
    method: 'GET',
    path: '/projects/:id/artifacts',
    summary: "The project's uploaded files, optionally of one kind",
    query: artifactListQuery,
    responses: { 200: 'the files', ...noProject },
  },
  {
    method: 'GET',
    path: '/projects/:id/artifacts/:fileId',
    summary: 'Downloads an uploaded file, as the content type it was uploaded with',
    responses: { 200: 'the bytes (an attachment, `etag` is its sha256)', 404: 'no such project or file' },
  },
  {
    method: 'POST',
    path: '/projects',
    summary: 'Creates a project from a published template; it starts at the sales stage',
    roles: MANAGERS,
    body: jsonBody(createProjectBody),
    responses: {
      201: 'the project',
      422: 'no such template, or it has no published version',
      503: 'the template service is unavailable',
    },
  },
  {
    method: 'GET',
    path: '/projects',
    summary: 'Projects, newest first, filtered by stage, status, client, delivery manager or a search',
    query: listProjectsQuery,
    responses: { 200: '`{ items, nextCursor }`' },
  },
  {
    method: 'GET',
    path: '/projects/:id',
    summary: 'A project',
    params: projectParams,
    responses: { 200: 'the project', ...noProject },
  },
  {
    method: 'GET',
    path: '/projects/:id/pipeline',
    summary: "Every stage's state, the stage awaiting approval, and what blocks the current stage",
    params: projectParams,
    responses: { 200: 'the pipeline view', ...noProject },
  },
  {
    method: 'GET',
    path: '/projects/:id/timeline',
    summary: "The project's history: stage changes and who made them",
    params: projectParams,
    responses: { 200: '`{ items }`', ...noProject },
  },
  {
    method: 'GET',
    path: '/projects/:id/why',
    summary: 'Why the project is where it is: its stage, what blocks it, the pending approval and the job',
    description: 'A part another service could not answer is marked unavailable instead of failing the call.',
    params: projectParams,
    responses: { 200: 'the explanation', ...noProject },
  },
  {
    method: 'PUT',
    path: '/projects/:id/management',
    summary: 'Hands the project to another delivery manager, or switches its manual review on or off',
    description:
      "Admins change both; the project's own manager may hand it over and switch manual review on. " +
      'Switching it off is an admin’s (403 names the field). Each change is in the timeline and announced.',
    roles: MANAGERS,
    params: projectParams,
    body: jsonBody(managementBody),
    responses: { 200: 'the project', ...stageMove },
  },
  {
    method: 'POST',
    path: '/projects/:id/archive',
    summary: 'Archives the project: its open approval and its job are withdrawn (announced by events)',
    roles: MANAGERS,
    params: projectParams,
    responses: { 200: 'the project', ...stageMove },
  },
  {
    method: 'POST',
    path: '/projects/:id/unarchive',
    summary: 'Restores an archived project at the stage it left, asking that stage’s gate again',
    roles: MANAGERS,
    params: projectParams,
    responses: { 200: 'the project', ...stageMove },
  },
  {
    method: 'POST',
    path: '/projects/:id/sale',
    summary: 'Confirms the sale, with an optional note',
    roles: MANAGERS,
    params: projectParams,
    body: jsonBody(confirmSaleBody, { optional: true }),
    responses: { 200: 'the project', ...stageMove },
  },
  {
    method: 'GET',
    path: '/projects/:id/onboarding',
    summary: "The onboarding form: the template's fields, the answers so far and how complete they are",
    params: projectParams,
    responses: { 200: '`{ fields, answers, updatedBy, updatedAt, completeness }`', ...noProject },
  },
  {
    method: 'PUT',
    path: '/projects/:id/onboarding',
    summary: "Saves onboarding answers (checked against the template's fields; null clears one)",
    roles: MANAGERS,
    params: projectParams,
    body: jsonBody(onboardingBody),
    responses: { 200: '`{ answers, completeness }`', ...stageMove },
  },
  {
    method: 'PUT',
    path: '/projects/:id/assignment',
    summary: "Sets the project's assignees",
    roles: MANAGERS,
    params: projectParams,
    body: jsonBody(assignmentBody),
    responses: { 200: 'the project', ...stageMove },
  },
  {
    method: 'POST',
    path: '/projects/:id/assignment/auto',
    summary: 'Assigns the least loaded person of the assignee pool',
    roles: MANAGERS,
    params: projectParams,
    responses: { 200: 'the project', ...stageMove, 422: 'the assignee pool is empty' },
  },
  {
    method: 'POST',
    path: '/projects/:id/advance',
    summary: 'Moves the project on as far as its stages allow',
    roles: MOVERS,
    params: projectParams,
    responses: { 200: 'the project', ...stageMove },
  },
  {
    method: 'POST',
    path: '/projects/:id/resume',
    summary: 'Resumes the current stage, with input for a job waiting for a person (e.g. defect decisions)',
    roles: MOVERS,
    params: projectParams,
    body: jsonBody(resumeBody, { optional: true }),
    responses: {
      200: 'the project',
      ...stageMove,
      422: 'the job refused the input (with its paths)',
      503: 'the job runner is unavailable',
    },
  },
  ...deadLetterRouteSpecs,
];
