import type { Browser } from 'playwright-core';
import { buildWebApp } from '../../scripts/web-build.js';
import { launchChromium, screenshot, signIn } from './browser.js';
import { signedInKey } from './gateway-client.js';
import { websiteTemplate } from './projects-client.js';
import { SYSTEM_ADMIN, SystemEnv, type SystemUrls } from './system-env.js';

// The web app in headless Chromium against the whole system, each service its own process, the
// gateway serving the build.

let env: SystemEnv;
let urls: SystemUrls;
let browser: Browser;

beforeAll(async () => {
  await buildWebApp();
  env = await SystemEnv.create();
  [urls, browser] = await Promise.all([env.start(), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

test('an admin signs in and the board shows a new project in its stage live, without a reload', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(urls.gateway);
  await screenshot(page, 'sign-in');
  await page.getByLabel('Email').fill(SYSTEM_ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'the email or the password is wrong' }).waitFor();

  await signIn(page, urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  await page.getByText('● live').waitFor();
  expect(await page.getByTestId('who').textContent()).toContain('admin');

  // A script creates a project; the open board shows it in Sales, blocked, with its reason.
  const { api } = await signedInKey(urls.gateway, SYSTEM_ADMIN.email, SYSTEM_ADMIN.password);
  const template = await api('POST', '/api/templates', websiteTemplate);
  await api('POST', `/api/templates/${template.body.id}/publish`);
  expect(
    (await api('POST', '/api/projects', { name: 'Live card', client: 'Acme', templateId: template.body.id }))
      .status,
  ).toBe(201);
  const card = page.locator('section[data-stage="0_sales"] a[data-project="Live card"]');
  await card.waitFor({ timeout: 20_000 });
  expect(await card.textContent()).toContain('Confirm the sale');
  await screenshot(page, 'board');

  // The board's filters live in the URL, so a filtered board can be shared.
  await page.getByLabel('Status').selectOption('needs_human');
  expect(page.url()).toContain('status=needs_human');
  await card.waitFor({ state: 'detached' });
  await context.close();
});
