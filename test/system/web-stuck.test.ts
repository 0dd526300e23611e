import { getJson, postJson, requestJson } from '@delivery/testing';
import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '../../scripts/web-build.js';
import { launchChromium, screenshot, signIn } from './browser.js';
import { BrowserSession, invitedPerson } from './gateway-client.js';
import { junitReport, projectsClient, ZIP } from './projects-client.js';
import { SYSTEM_ADMIN, SystemEnv, type SystemUrls } from './system-env.js';

// No project gets stuck for good, in headless Chromium against the whole system: the person who
// uploaded a malformed test report sees the failed file named in the why panel and replaces it
// there; a QA lead decides defects on a project that is not theirs to manage, and its assignee
// gets no such controls.

let env: SystemEnv;
let urls: SystemUrls;
let browser: Browser;
const DEV = { email: 'dana@example.com', password: 'dana’s long password', roles: ['developer'] };
const QA = { email: 'quinn@example.com', password: 'quinn’s long password', roles: ['qa_lead'] };
let devId: string;

beforeAll(async () => {
  await buildWebApp();
  env = await SystemEnv.create();
  [urls, browser] = await Promise.all([env.start(), launchChromium()]);
  const admin = new BrowserSession(urls.gateway);
  await admin.login(SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  devId = (await invitedPerson(admin, DEV.email, DEV.roles, DEV.password)).id;
  await invitedPerson(admin, QA.email, QA.roles, QA.password);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

function watched(page: Page): Page {
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

async function signedIn(person: { email: string; password: string }): Promise<Page> {
  const page = watched(await (await browser.newContext()).newPage());
  await signIn(page, urls.gateway, person.email, person.password);
  return page;
}

/** A project at 4_test (built), assigned to Dana, set up through the pipeline's API. */
async function projectAtTest(name: string): Promise<string> {
  const { publishedTemplateWithBlueprint, create, untilStage, upload } = projectsClient(urls);
  const projectId = await create(await publishedTemplateWithBlueprint(), name);
  expect((await postJson(`${urls.pipeline}/projects/${projectId}/sale`, {})).status).toBe(200);
  const onboarding = { answers: { domain: 'https://acme.example', pages: 5 } };
  expect(
    (await requestJson('PUT', `${urls.pipeline}/projects/${projectId}/onboarding`, onboarding)).status,
  ).toBe(200);
  const assignment = { assignees: [{ id: devId, name: 'dana' }] };
  expect(
    (await requestJson('PUT', `${urls.pipeline}/projects/${projectId}/assignment`, assignment)).status,
  ).toBe(200);
  expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);
  await untilStage(projectId, '4_test', 'blocked');
  return projectId;
}

test('replacing a failed report: the why panel names the file and its uploader replaces it there; the project completes', async () => {
  const projectId = await projectAtTest('Broken report');
  const page = await signedIn(DEV);
  await page.goto(`${urls.gateway}/projects/${projectId}`);
  await page.getByLabel('Test report file').setInputFiles({
    name: 'junit.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from('<testsuite><testcase></testsuite>'),
  });
  await page.getByRole('button', { name: 'Upload test report' }).click();

  const reason = page.getByTestId('blocked-reasons').locator('li[data-code="file_failed"]');
  await reason.waitFor({ timeout: 30_000 });
  expect(await reason.textContent()).toContain(
    'The test job could not use the test report "junit.xml" (uploaded by dana): malformed XML',
  );
  expect(await reason.textContent()).toContain(
    'Who can act: dana (who uploaded it), the delivery manager, an admin',
  );
  await screenshot(page, 'stuck-01-failed-report');

  // A QA lead looking at the same project sees who can replace it, and no control to do so.
  const qa = await signedIn(QA);
  await qa.goto(`${urls.gateway}/projects/${projectId}`);
  const notTheirs = qa.getByTestId('failed-file');
  await notTheirs.waitFor();
  expect(await notTheirs.textContent()).toBe(
    "Only dana, who uploaded junit.xml, the project's delivery manager or an admin can replace it.",
  );
  expect(await qa.getByRole('form', { name: 'Replace junit.xml' }).count()).toBe(0);

  const replace = page.getByTestId('failed-file').getByRole('form', { name: 'Replace junit.xml' });
  await replace.getByLabel('Replacement for junit.xml').setInputFiles({
    name: 'junit.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from('<testsuite name="smoke"><testcase name="boots" time="0.2"/></testsuite>'),
  });
  await replace.getByRole('button', { name: 'Replace junit.xml' }).click();
  await page
    .getByTestId('project-status')
    .filter({ hasText: /complete/i })
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'stuck-02-replaced-and-complete');

  // One report is left, the new one; the test stage succeeded as generation 2.
  const files = (await getJson(`${urls.pipeline}/projects/${projectId}/artifacts?kind=test_report`)).body;
  expect(files).toEqual([
    expect.objectContaining({ name: 'junit.xml', uploadedBy: expect.objectContaining({ id: devId }) }),
  ]);
  await page.locator('table[aria-label="Files"] tr[data-file="junit.xml"]').waitFor();
  expect(await page.locator('table[aria-label="Files"] tr[data-file="junit.xml"]').count()).toBe(1);
  const view = (await getJson(`${urls.pipeline}/projects/${projectId}/pipeline`)).body;
  expect(view.stages['4_test']).toMatchObject({ status: 'succeeded', generation: 2 });
});

test('a QA lead deciding defects: the why panel names QA leads, the QA lead gets the controls and decides, the assignee does not', async () => {
  const projectId = await projectAtTest('Failing tests');
  const { upload, untilStage } = projectsClient(urls);
  expect(
    (await upload(projectId, 'test-reports', junitReport(), 'TEST-orders.xml', 'application/xml')).status,
  ).toBe(201);
  await untilStage(projectId, '5_defect_validation', 'needs_human');

  // The assignee sees why the project waits and who decides, but no decision controls.
  const dev = await signedIn(DEV);
  await dev.goto(`${urls.gateway}/projects/${projectId}`);
  const devReason = dev.getByTestId('blocked-reasons').locator('li[data-code="defects_undecided"]');
  await devReason.waitFor({ timeout: 20_000 });
  await dev.getByTestId('why-job').waitFor();
  expect(await dev.getByRole('form', { name: 'Defect decisions' }).count()).toBe(0);
  expect(await dev.getByRole('link', { name: 'Decide on the defects' }).count()).toBe(0);

  const qa = await signedIn(QA);
  await qa.goto(`${urls.gateway}/projects/${projectId}`);
  const reason = qa.getByTestId('blocked-reasons').locator('li[data-code="defects_undecided"]');
  await reason.waitFor({ timeout: 20_000 });
  expect(await reason.textContent()).toContain('Who can act: a QA lead, the delivery manager, an admin');
  await qa.getByRole('link', { name: 'Decide on the defects' }).click();
  const decisions = qa.getByRole('form', { name: 'Defect decisions' });
  await decisions.waitFor({ timeout: 20_000 });
  await screenshot(qa, 'stuck-03-qa-lead-defects');
  await decisions.getByRole('button', { name: 'Reject all' }).click();
  await decisions.getByRole('button', { name: 'Save decisions and resume' }).click();
  await qa
    .getByTestId('project-status')
    .filter({ hasText: /complete/i })
    .waitFor({ timeout: 30_000 });
  await screenshot(qa, 'stuck-04-qa-lead-decided');

  const timeline = (await getJson(`${urls.pipeline}/projects/${projectId}/timeline`)).body.items;
  expect(timeline).toContainEqual(
    expect.objectContaining({
      trigger: 'defects_decided',
      actor: expect.objectContaining({ name: 'quinn' }),
    }),
  );
});
