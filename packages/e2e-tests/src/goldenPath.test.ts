import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from './__testUtils__/browser';
import { Portal, startPortal } from './__testUtils__/startPortal';

jest.setTimeout(300_000);

/*
 * A developer creates a service from a golden path: sign in, Create, pick
 * the Node.js service, fill the short form, run it, and follow the link to
 * the new service's page. Against the built portal (./causeway start) in
 * Debian's Chromium; the source repository and the GitOps commit land in the
 * portal's private data folder.
 */
describe('creating a service from a golden path in a browser', () => {
  let portal: Portal;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('signs in, picks service-nodejs under Create and sees the form checking the name as it is typed', async () => {
    await page.goto(portal.baseUrl);
    await page.getByRole('button', { name: /enter/i }).click();
    await page.getByText('Golden paths').first().waitFor();

    await page.goto(`${portal.baseUrl}/create`);
    // Each template is a card; the page section around them is not.
    const card = page
      .locator('.MuiCard-root')
      .filter({ hasText: 'Node.js service (TypeScript)' })
      .first();
    await card.getByRole('button', { name: /choose/i }).click();

    const name = page.getByRole('textbox', { name: /name/i }).first();
    await name.fill('payment-service');
    await page.getByText(/payment-service is taken/).waitFor();
    await name.fill('Refunds');
    await page
      .getByText(/lowercase/i)
      .first()
      .waitFor();
    await name.fill('refund-portal');
    await page.getByText(/refund-portal is available/).waitFor();
  });

  it('defaults the owner to the user’s team and explains each tier', async () => {
    // The guest is in platform-admins and payments-team; the template asks
    // not to default to the admins.
    const owner = page.getByRole('combobox', { name: /owner/i });
    await page.waitForFunction(
      el => /payments-team/.test((el as HTMLInputElement).value),
      await owner.elementHandle(),
    );
    await page.getByText(/Customer-facing, paged at night/).waitFor();
  });

  it('shows what will be created, runs the golden path and links to the new service', async () => {
    await page.getByRole('button', { name: /^next/i }).click();
    await page
      .getByText('apps/production/payments-team/refund-portal/')
      .first()
      .waitFor();
    await page.getByRole('button', { name: /^review/i }).click();
    await page.getByRole('button', { name: /^create/i }).click();

    const open = page.getByRole('link', { name: /open in catalog/i });
    await open.waitFor({ timeout: 120_000 });
    await open.click();
    await page.waitForURL(/\/catalog\/default\/component\/refund-portal/);
    await page
      .getByRole('heading', { name: 'refund-portal' })
      .first()
      .waitFor();
    await page
      .getByRole('link', { name: /payments-team/ })
      .first()
      .waitFor();

    const git = (repo: string, ...args: string[]) =>
      execFileSync(
        'git',
        ['--git-dir', path.join(portal.dataDir, 'git', repo), ...args],
        {
          encoding: 'utf8',
        },
      ).trim();
    expect(
      git('repos/refund-portal.git', 'ls-tree', '--name-only', 'main'),
    ).toContain('catalog-info.yaml');
    expect(git('gitops.git', 'log', '-1', '--format=%s', 'main')).toBe(
      'Add refund-portal (service-nodejs) for payments-team',
    );
  });
});
