import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '../../scripts/web-build.js';
import { launchChromium, screenshot, signIn } from './browser.js';
import { BrowserSession, invitedPerson } from './gateway-client.js';
import { junitReport, ZIP } from './projects-client.js';
import { SYSTEM_ADMIN, SystemEnv, type SystemUrls } from './system-env.js';

// The web app in headless Chromium (Debian's) against the whole system, each service its own
// process and the gateway serving the build: a project from template to complete, done the way
// people do it, with an approver in a second browser and the board updating live in the first.

let env: SystemEnv;
let urls: SystemUrls;
let browser: Browser;
const APPROVER = { email: 'quinn@example.com', password: 'quinn’s long password', roles: ['qa_lead'] };

beforeAll(async () => {
  await buildWebApp();
  env = await SystemEnv.create();
  [urls, browser] = await Promise.all([env.start(), launchChromium()]);
  const admin = new BrowserSession(urls.gateway);
  await admin.login(SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  await invitedPerson(admin, APPROVER.email, APPROVER.roles, APPROVER.password);
  // The build waits for a qa_lead's approval.
  const gate = {
    required: true,
    point: 'before',
    approverRoles: ['qa_lead'],
    approvalsNeeded: 1,
    expiresAfterMinutes: 60,
    allowSelfApproval: false,
  };
  expect((await admin.request('PUT', '/api/gates/config', { stages: { '3_build': gate } })).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

/** Fails the test on any error the page throws (not network answers: those the app shows). */
function watched(page: Page): Page {
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

test('a project from template to complete in the browser: gate approved from a second browser, the board live', async () => {
  const adminContext = await browser.newContext();
  const page = watched(await adminContext.newPage());

  // A wrong password is refused with the API's words.
  await page.goto(urls.gateway);
  await page.getByLabel('Email').fill(SYSTEM_ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'the email or the password is wrong' }).waitFor();
  await screenshot(page, '01-sign-in');
  await signIn(page, urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);

  // A template: one required answer, one artifact; saved, published, its blueprint generated.
  await page.getByRole('link', { name: 'Templates' }).click();
  const newTemplate = page.getByRole('form', { name: 'New template' });
  await newTemplate.getByLabel('Name').fill('Website');
  await newTemplate.getByRole('button', { name: 'Create template' }).click();
  await page.waitForURL(/\/templates\/[0-9a-f-]{36}/);
  await page.getByRole('button', { name: 'Add field' }).click();
  const field = page.getByRole('group', { name: 'Field 1' });
  await field.getByLabel('Key').fill('domain');
  await field.getByLabel('Label').fill('Domain');
  await field.getByLabel('Type').selectOption('url');
  await field.getByLabel('Required').check();
  await page.getByRole('button', { name: 'Add artifact' }).click();
  const artifact = page.getByRole('group', { name: 'Artifact 1' });
  await artifact.getByLabel('File name').fill('site.zip');
  await artifact.getByLabel('Content type').fill('application/zip');
  await artifact.getByLabel('Maximum size (bytes)').fill('1000000');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('button', { name: 'Publish version 1' }).click();
  await page.getByText('Version 1 is published and read-only.').waitFor();
  await page.getByRole('button', { name: 'Generate blueprint' }).click();
  await page.locator('[data-status="succeeded"]').first().waitFor({ timeout: 30_000 });
  await page.getByText('Current blueprint for version 1.').waitFor();
  await screenshot(page, '02-template');

  // The board in its own tab of the same browser: never reloaded from here on.
  const board = watched(await adminContext.newPage());
  await board.goto(urls.gateway);
  await board.getByText('● live').waitFor();

  // A project from the board; its page opens.
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.locator('summary', { hasText: 'New project' }).click();
  const newProject = page.getByRole('form', { name: 'New project' });
  await newProject.waitFor();
  await newProject.getByLabel('Project name').fill('Acme site');
  await newProject.getByLabel('Client').fill('Acme');
  await newProject.getByLabel('Template').selectOption({ label: 'Website' });
  await newProject.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Acme site' }).waitFor();
  await board.locator('section[data-stage="0_sales"] a[data-project="Acme site"]').waitFor();

  await page.getByRole('button', { name: 'Confirm sale' }).click();
  // Onboarding: a wrong answer is shown beside its field first.
  const onboarding = page.getByRole('form', { name: 'Onboarding' });
  await onboarding.waitFor();
  // Every stage ahead says what it will need, so the manager can get it in before it is reached.
  const ahead = page.getByTestId('stages-ahead');
  await ahead.locator('li[data-stage="3_build"][data-status="pending"]', { hasText: 'site.zip' }).waitFor();
  await ahead.locator('li[data-stage="4_test"][data-status="pending"]', { hasText: 'test report' }).waitFor();
  await onboarding.getByLabel('Domain', { exact: true }).fill('not a url');
  await onboarding.getByRole('button', { name: 'Save onboarding' }).click();
  await onboarding.getByRole('alert').first().waitFor();
  await screenshot(page, '03-onboarding-error');
  await onboarding.getByLabel('Domain', { exact: true }).fill('https://acme.example');
  await onboarding.getByRole('button', { name: 'Save onboarding' }).click();
  await page.getByTestId('onboarding-completeness').filter({ hasText: '1 of 1' }).waitFor();

  await page.getByLabel('Assignee 1 id').fill('dev-1');
  await page.getByLabel('Assignee 1 name').fill('Devi');
  await page.getByRole('button', { name: 'Save assignment' }).click();
  await page.locator('li[data-stage="3_build"][data-current="true"]').waitFor({ timeout: 20_000 });

  await page.getByLabel('Artifact name').fill('site.zip');
  await page
    .getByLabel('Artifact file')
    .setInputFiles({ name: 'site.zip', mimeType: 'application/zip', buffer: ZIP });
  await page.getByRole('button', { name: 'Upload artifact' }).click();
  await page.getByRole('link', { name: 'Download site.zip' }).waitFor();
  // The gate: the build waits for a qa_lead.
  await page
    .locator('li[data-stage="3_build"][data-status="awaiting_approval"]')
    .waitFor({ timeout: 20_000 });
  await page.getByTestId('approval').waitFor();
  await screenshot(page, '04-project-awaiting-approval');

  // The approver, in a browser of their own, approves from the inbox.
  const approverContext = await browser.newContext();
  const inbox = watched(await approverContext.newPage());
  await signIn(inbox, urls.gateway, APPROVER.email, APPROVER.password);
  await inbox.getByRole('link', { name: 'Approvals' }).click();
  const approval = inbox.getByRole('article', { name: 'Acme site · Build' });
  await approval.waitFor({ timeout: 20_000 });
  await screenshot(inbox, '05-approvals-inbox');
  await approval.getByLabel('Comment', { exact: false }).fill('looks right');
  await approval.getByRole('button', { name: 'Approve' }).click();
  await inbox.getByText('You approved Acme site · Build: granted.').waitFor();
  await approverContext.close();

  // The build runs in a job-runner worker; then the test report with a failing case.
  await page.locator('li[data-stage="4_test"][data-current="true"]').waitFor({ timeout: 30_000 });
  await page
    .getByLabel('Test report file')
    .setInputFiles({ name: 'TEST-orders.xml', mimeType: 'application/xml', buffer: junitReport() });
  await page.getByRole('button', { name: 'Upload test report' }).click();
  const decisions = page.getByRole('form', { name: 'Defect decisions' });
  await decisions.waitFor({ timeout: 30_000 });
  await screenshot(page, '06-defects');
  await decisions.getByRole('button', { name: 'Confirm all' }).click();
  await decisions.getByRole('button', { name: 'Save decisions and resume' }).click();
  await page
    .getByTestId('project-status')
    .filter({ hasText: /complete/i })
    .waitFor({ timeout: 30_000 });
  await screenshot(page, '07-project-complete');
  // The timeline names who decided: the approver by name, the uploads by their own triggers.
  const showAll = page.getByRole('button', { name: /Show all \d+ transitions/ });
  if (await showAll.isVisible()) await showAll.click();
  const timeline = page.getByRole('table', { name: 'Timeline' });
  const granted = timeline.locator('tr', { hasText: 'approval granted' });
  await granted.waitFor();
  expect(await granted.textContent()).toContain('quinn');
  await timeline.locator('tr', { hasText: 'test report upload' }).first().waitFor();
  // Only the gated build ever awaited an approval.
  const awaited = await timeline.locator('tr', { hasText: 'awaiting approval' }).allTextContents();
  expect(awaited.length).toBeGreaterThan(0);
  for (const row of awaited) expect(row).toContain('Build');

  // The board, open all along and never reloaded, shows it complete.
  const done = board.locator('section[data-stage="6_complete"] a[data-project="Acme site"]');
  await done.waitFor({ timeout: 20_000 });
  expect(await done.textContent()).toContain('complete');
  await screenshot(board, '08-board');

  await page.getByRole('link', { name: 'Operations' }).click();
  await page.getByRole('heading', { name: 'Operations' }).waitFor();
  await screenshot(page, '09-operations');
  await page.getByTestId('who').click();
  await page.getByRole('heading', { name: 'API keys' }).waitFor();
  await screenshot(page, '10-keys');
  await adminContext.close();
  // A whole delivery through a real browser: far longer than the default per-test bound.
}, 240_000);

test('API keys in the browser: created with chosen roles, shown once, revoked after confirming', async () => {
  const context = await browser.newContext();
  const page = watched(await context.newPage());
  await signIn(page, urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  await page.getByTestId('who').click();
  await page.getByRole('heading', { name: 'API keys' }).waitFor();
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByRole('alert').filter({ hasText: 'Give the key a name' }).waitFor();
  await page.getByLabel('Name').fill('deploy script');
  await page.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByLabel('New API key', { exact: true });
  await shown.waitFor();
  const key = await shown.inputValue();
  expect(key).toMatch(/^dk_/);
  expect(
    (await fetch(`${urls.gateway}/api/templates`, { headers: { authorization: `Bearer ${key}` } })).status,
  ).toBe(200);
  await page.getByRole('button', { name: 'I have copied it' }).click();
  expect(await page.getByText(key).count()).toBe(0);
  const row = page.locator('tr[data-key="deploy script"]');
  await row.getByRole('button', { name: 'Revoke deploy script' }).click();
  await row.getByRole('button', { name: 'Yes, revoke deploy script' }).click();
  await row.getByText(/^revoked /).waitFor();
  expect(
    (await fetch(`${urls.gateway}/api/templates`, { headers: { authorization: `Bearer ${key}` } })).status,
  ).toBe(401);
  // Signing out returns to the sign-in page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await context.close();
}, 120_000);
