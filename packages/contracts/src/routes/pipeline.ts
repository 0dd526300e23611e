import { z } from 'zod';
import { defineRoute, json, jsonBody, multipartBody } from '../http/route-contract.js';
import { ROLES } from '../identity.js';
import { WHO_MAY } from '../project-access.js';
import {
  artifactListQuery,
  assignmentBody,
  confirmSaleBody,
  createProjectBody,
  defectDecisionsBody,
  listProjectsQuery,
  managementBody,
  onboardingBody,
  resumeBody,
} from './pipeline-inputs.js';
import {
  onboardingSavedSchema,
  onboardingViewSchema,
  pipelineViewSchema,
  projectPageSchema,
  projectViewSchema,
  storedFileSchema,
  timelineSchema,
  whyViewSchema,
} from './pipeline-views.js';

export * from './pipeline-inputs.js';
export * from './pipeline-views.js';

/** Who manages projects; which project is theirs is the route's `relation`. */
const MANAGERS = [ROLES.admin, ROLES.deliveryManager] as const;
/** Operators also get stuck projects going again, on every project. */
const MOVERS = [ROLES.admin, ROLES.deliveryManager, ROLES.operator] as const;

/** A project is named by its UUID: anything else is bad input (400), not an unknown project. */
const projectParams = z.object({ id: z.uuid() });

const noProject = { 404: 'no such project' } as const;
const projectChange = (relation: string) =>
  ({
    ...noProject,
    403: `the caller is not ${relation}`,
    409: "the project's state refuses it (the refusal says why and who can act)",
  }) as const;
const managed = projectChange(WHO_MAY.manage);
const moved = projectChange(WHO_MAY.move);
const theProject = json('the project', projectViewSchema);

/** The multipart part that carries an upload's file. */
const FILE_PART = 'file';
const uploadRefusals = {
  400: `the form is not the one the route reads: one file, in the part named \`${FILE_PART}\``,
  403: `the caller is not ${WHO_MAY.upload}`,
  ...noProject,
  409: 'the project is closed, has as many files as it may, or has no blueprint yet to say what to upload',
  413: 'the file is larger than allowed, or than the room the project has left',
  415: 'not multipart/form-data, or a content type the blueprint does not accept',
  422: 'a name the blueprint does not ask for',
} as const;

/** A file of a project: its id is the stored file's (24 hex digits). */
const fileParams = projectParams.extend({
  fileId: z.string().regex(/^[0-9a-f]{24}$/i, 'a file id is 24 hex digits'),
});
const fileChange = {
  403: `the caller is not ${WHO_MAY.changeFile}`,
  404: 'no such project, or it has no such file',
  409: 'the project is closed, or the file was replaced or withdrawn meanwhile',
} as const;

/** Every route the pipeline serves but the probes and its dead letters. */
export const pipelineRoutes = {
  createProject: defineRoute({
    method: 'POST',
    path: '/projects',
    summary: 'Creates a project from a published template; it starts at the sales stage',
    roles: MANAGERS,
    relation:
      'a delivery manager creates projects they manage themselves; only an admin may name another manager',
    body: jsonBody(createProjectBody),
    responses: {
      201: json('the project', projectViewSchema),
      403: 'a delivery manager named another manager',
      422: 'no such template, or it has no published version',
      503: 'the template service is unavailable',
    },
  }),
  listProjects: defineRoute({
    method: 'GET',
    path: '/projects',
    summary: 'Projects, newest first, filtered by stage, status, client, delivery manager or a search',
    query: listProjectsQuery,
    responses: { 200: json('a page of projects', projectPageSchema) },
  }),
  getProject: defineRoute({
    method: 'GET',
    path: '/projects/:id',
    summary: 'A project',
    params: projectParams,
    responses: { 200: theProject, ...noProject },
  }),
  getPipeline: defineRoute({
    method: 'GET',
    path: '/projects/:id/pipeline',
    summary: "Every stage's state, the stage awaiting approval, and what blocks the current stage",
    params: projectParams,
    responses: { 200: json('the pipeline view', pipelineViewSchema), ...noProject },
  }),
  getTimeline: defineRoute({
    method: 'GET',
    path: '/projects/:id/timeline',
    summary: "The project's history: stage changes and who made them",
    params: projectParams,
    responses: { 200: json('the history, oldest first', timelineSchema), ...noProject },
  }),
  why: defineRoute({
    method: 'GET',
    path: '/projects/:id/why',
    summary: 'Why the project is where it is: its stage, what blocks it, the pending approval and the job',
    description: 'A part another service could not answer is marked unavailable instead of failing the call.',
    params: projectParams,
    responses: { 200: json('the explanation', whyViewSchema), ...noProject },
  }),
  changeManagement: defineRoute({
    method: 'PUT',
    path: '/projects/:id/management',
    summary: 'Hands the project to another delivery manager, or switches its manual review on or off',
    description:
      "Admins change both; the project's own manager may hand it over and switch manual review on. " +
      'Switching it off is an admin’s (403 names the field). Each change is in the timeline and announced.',
    roles: MANAGERS,
    relation: `${WHO_MAY.manage}; switching manual review off is an admin's alone`,
    params: projectParams,
    body: jsonBody(managementBody),
    responses: {
      200: theProject,
      ...managed,
      403: `the caller is not ${WHO_MAY.manage}, or switches manual review off without being an admin`,
    },
  }),
  archive: defineRoute({
    method: 'POST',
    path: '/projects/:id/archive',
    summary: 'Archives the project: its open approval and its job are withdrawn (announced by events)',
    roles: MANAGERS,
    relation: WHO_MAY.manage,
    params: projectParams,
    responses: { 200: theProject, ...managed },
  }),
  unarchive: defineRoute({
    method: 'POST',
    path: '/projects/:id/unarchive',
    summary: 'Restores an archived project at the stage it left, asking that stage’s gate again',
    roles: MANAGERS,
    relation: WHO_MAY.manage,
    params: projectParams,
    responses: { 200: theProject, ...managed },
  }),
  confirmSale: defineRoute({
    method: 'POST',
    path: '/projects/:id/sale',
    summary: 'Confirms the sale, with an optional note',
    roles: MANAGERS,
    relation: WHO_MAY.manage,
    params: projectParams,
    body: jsonBody(confirmSaleBody, { optional: true }),
    responses: { 200: theProject, ...managed },
  }),
  getOnboarding: defineRoute({
    method: 'GET',
    path: '/projects/:id/onboarding',
    summary: "The onboarding form: the template's fields, the answers so far and how complete they are",
    params: projectParams,
    responses: { 200: json('the form and its answers', onboardingViewSchema), ...noProject },
  }),
  saveOnboarding: defineRoute({
    method: 'PUT',
    path: '/projects/:id/onboarding',
    summary: "Saves onboarding answers (checked against the template's fields; null clears one)",
    roles: MANAGERS,
    relation: WHO_MAY.manage,
    params: projectParams,
    body: jsonBody(onboardingBody),
    responses: { 200: json('the answers now, and how complete they are', onboardingSavedSchema), ...managed },
  }),
  setAssignees: defineRoute({
    method: 'PUT',
    path: '/projects/:id/assignment',
    summary: "Sets the project's assignees",
    roles: MANAGERS,
    relation: WHO_MAY.manage,
    params: projectParams,
    body: jsonBody(assignmentBody),
    responses: { 200: theProject, ...managed },
  }),
  autoAssign: defineRoute({
    method: 'POST',
    path: '/projects/:id/assignment/auto',
    summary: 'Assigns the least loaded person of the assignee pool',
    roles: MANAGERS,
    relation: WHO_MAY.manage,
    params: projectParams,
    responses: { 200: theProject, ...managed, 422: 'the assignee pool is empty' },
  }),
  advance: defineRoute({
    method: 'POST',
    path: '/projects/:id/advance',
    summary: 'Moves the project on as far as its stages allow',
    roles: MOVERS,
    relation: WHO_MAY.move,
    params: projectParams,
    responses: { 200: theProject, ...moved },
  }),
  resume: defineRoute({
    method: 'POST',
    path: '/projects/:id/resume',
    summary: 'Resumes the current stage, with input for a job waiting for a person (e.g. defect decisions)',
    roles: MOVERS,
    relation: WHO_MAY.move,
    params: projectParams,
    body: jsonBody(resumeBody, { optional: true }),
    responses: {
      200: theProject,
      ...moved,
      422: 'the job refused the input (with its paths)',
      503: 'the job runner is unavailable',
    },
  }),
  uploadArtifact: defineRoute({
    method: 'POST',
    path: '/projects/:id/artifacts',
    summary: "Uploads one of the artifacts the project's blueprint requires (streamed, checked, kept)",
    description: 'The `name` field (default: the filename) names the artifact.',
    relation: WHO_MAY.upload,
    body: multipartBody(FILE_PART, ['name']),
    responses: { 201: json('the stored file', storedFileSchema), ...uploadRefusals },
  }),
  uploadTestReport: defineRoute({
    method: 'POST',
    path: '/projects/:id/test-reports',
    summary: 'Uploads a test report (JUnit XML) for the test stage',
    relation: WHO_MAY.upload,
    body: multipartBody(FILE_PART),
    responses: { 201: json('the stored file', storedFileSchema), ...uploadRefusals },
  }),
  replaceFile: defineRoute({
    method: 'PUT',
    path: '/projects/:id/artifacts/:fileId',
    summary:
      'Replaces an uploaded file with a corrected one (same kind and name unless `name` says otherwise)',
    description:
      'The new file takes the old one’s place and the old bytes are removed; the replacement is in the ' +
      'timeline (who, the file before and after). A stage that read the old file runs again as a new ' +
      'generation with the files current at its start.',
    relation: WHO_MAY.changeFile,
    params: fileParams,
    body: multipartBody(FILE_PART, ['name']),
    responses: {
      200: json('the stored replacement', storedFileSchema),
      ...uploadRefusals,
      ...fileChange,
      409: `${fileChange[409]}, or it has as many bytes as it may`,
    },
  }),
  withdrawFile: defineRoute({
    method: 'DELETE',
    path: '/projects/:id/artifacts/:fileId',
    summary: 'Withdraws an uploaded file: it leaves the project and its bytes are removed',
    description:
      'Recorded in the timeline (who, the file withdrawn). A stage that read the file runs again as a new ' +
      'generation without it, or waits for an upload if it was the only one.',
    relation: WHO_MAY.changeFile,
    params: fileParams,
    responses: { 204: 'withdrawn', ...fileChange },
  }),
  decideDefects: defineRoute({
    method: 'POST',
    path: '/projects/:id/defect-decisions',
    summary: 'Confirms or rejects defects the test stage found; the defect validation job goes on with them',
    description:
      'Only while the defect validation stage waits for decisions. Decisions add up over several calls; ' +
      'the stage succeeds once every defect is decided.',
    relation: WHO_MAY.decideDefects,
    params: projectParams,
    body: jsonBody(defectDecisionsBody),
    responses: {
      200: theProject,
      400: 'a decision names no defect of the project (the path names it)',
      ...projectChange(WHO_MAY.decideDefects),
      409: 'the defect validation stage is not waiting for decisions (the refusal says where the project is)',
      503: 'the job runner is unavailable',
    },
  }),
  listFiles: defineRoute({
    method: 'GET',
    path: '/projects/:id/artifacts',
    summary: "The project's uploaded files, optionally of one kind",
    query: artifactListQuery,
    responses: { 200: json('the files, oldest first', z.array(storedFileSchema)), ...noProject },
  }),
  downloadFile: defineRoute({
    method: 'GET',
    path: '/projects/:id/artifacts/:fileId',
    summary: 'Downloads an uploaded file, as the content type it was uploaded with',
    responses: {
      200: {
        description:
          'the bytes, as an attachment in the content type they were uploaded with (`etag`: their sha256)',
        contentType: '*/*',
      },
      404: 'no such project or file',
    },
  }),
} as const;
