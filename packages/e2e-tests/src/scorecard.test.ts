import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from './__testUtils__/browser';
import { Portal, startPortal } from './__testUtils__/startPortal';

jest.setTimeout(600_000);

/*
 * Checks of this test's own, on catalog facts only, so what the browser shows
 * does not depend on the repository's scorecards/ or on reaching GitHub. On
 * the demo catalog (examples/components.yaml) payment-service reaches silver
 * (nothing declares an on-call rotation) and fraud-detector has no runbook.
 */
const CHECKS = `checks:
  - id: owned-by-group
    title: Owned by a team
    description: A team answers for it.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: catalog.ownerKind, equals: Group }
    fix: { text: Set spec.owner to a group. }
  - id: runbook
    title: Runbook linked
    description: On-call needs it.
    level: silver
    appliesTo: { kind: Component, type: service }
    rule: { fact: catalog.hasRunbookLink, equals: true }
    fix: { text: Add a link of type runbook. }
  - id: on-call
    title: On-call rotation
    description: Someone is paged when it breaks.
    level: gold
    appliesTo: { kind: Component, type: service }
    rule: { fact: catalog.hasOnCall, equals: true }
    fix: { text: Add the pagerduty.com/service-id annotation. }
`;

/** Reloads the page until `ready` shows, as a user would; bounded. */
async function reloadUntil(page: Page, ready: () => Promise<unknown>) {
  for (let attempt = 0; ; attempt++) {
    try {
      await ready();
      return;
    } catch (error) {
      if (attempt >= 30) throw error;
      await page.reload();
    }
  }
}

/**
 * The scorecard as a developer and a platform lead see it: the Scorecard tab
 * of payment-service and the organisation's Scorecards page, against the
 * built portal (./causeway start) in Debian's Chromium.
 */
describe('scorecards in a browser', () => {
  let portal: Portal;
  let browser: Browser;
  let page: Page;
  let checksDir: string;

  beforeAll(async () => {
    checksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-scorecards-'));
    fs.writeFileSync(path.join(checksDir, 'readiness.yaml'), CHECKS);
    [portal, browser] = await Promise.all([
      startPortal({
        // A string: an object would merge with app-config's { minutes: 10 }.
        extraConfig: [
          'scorecard:',
          `  checks: { directory: '${checksDir}' }`,
          '  schedule: { frequency: PT5S }',
        ].join('\n'),
      }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    if (checksDir) fs.rmSync(checksDir, { recursive: true, force: true });
  });

  it("shows payment-service's level, leading with what blocks the next one: the failing check's value and fix", async () => {
    await page.goto(portal.baseUrl);
    await page.getByRole('button', { name: /enter/i }).click();
    await page.getByText('Golden paths').first().waitFor();

    await page.goto(
      `${portal.baseUrl}/catalog/default/component/payment-service/scorecard`,
    );
    await reloadUntil(page, () =>
      page.getByLabel('Level: Silver').first().waitFor({ timeout: 10_000 }),
    );

    // Silver, so the tab leads with the one gold check that fails.
    const failing = page.getByRole('region', { name: 'Failing' });
    await failing
      .getByRole('heading', { name: 'To reach Gold: this check' })
      .waitFor();
    const onCall = failing.getByRole('listitem', { name: 'On-call rotation' });
    await onCall.getByText('Failed', { exact: true }).waitFor();
    await onCall.getByText('catalog.hasOnCall = false').waitFor();
    await onCall
      .getByText(/How to fix:\s*Add the pagerduty.com\/service-id annotation\./)
      .waitFor();

    // Passing checks are collapsed behind their count, and say no fix.
    const passedToggle = page.getByRole('button', { name: /^Passed \(\d+\)$/ });
    await passedToggle.click();
    const passed = page.locator('#checks-pass');
    await passed.getByText('Owned by a team').waitFor();
    await passed.getByText('Runbook linked').waitFor();
    await expect(passed.getByText(/How to fix/).count()).resolves.toBe(0);
  });

  it('shows the level distribution and the table on the Scorecards page', async () => {
    await page.goto(`${portal.baseUrl}/scorecards`);
    const table = page.getByRole('table', { name: 'Scorecards' });
    // The demo catalog loads while the first entities are evaluated: reload
    // until fraud-detector, from further down examples/components.yaml, shows.
    await reloadUntil(page, () =>
      table
        .getByRole('row', { name: /fraud-detector/ })
        .waitFor({ timeout: 10_000 }),
    );
    const payment = table.getByRole('row', { name: /payment-service/ });
    await payment.getByRole('link', { name: 'payment-service' }).waitFor();
    await payment.getByLabel('Level: Silver').waitFor();
    await payment.getByText('On-call rotation').waitFor();

    // The distribution: every demo component is owned by a team, so none
    // is below bronze; payment-service is among the silver ones and
    // fraud-detector (no runbook) among the bronze ones.
    const distribution = page.getByRole('img', {
      name: /^Entities per level: /,
    });
    await distribution.waitFor();
    expect(await distribution.getAttribute('aria-label')).toMatch(
      /^Entities per level: Gold \d+, Silver [1-9]\d*, Bronze [1-9]\d*, No level 0$/,
    );
  });

  it('filters the table by level and by failing check', async () => {
    const table = page.getByRole('table', { name: 'Scorecards' });
    const payment = table.getByRole('row', { name: /payment-service/ });
    const fraud = table.getByRole('row', { name: /fraud-detector/ });
    await fraud.waitFor();

    // Level: Gold. No service declares an on-call rotation; the website
    // checkout-web has no service checks to fail.
    await page.getByRole('combobox', { name: 'Level' }).click();
    await page.getByRole('option', { name: 'Gold', exact: true }).click();
    await payment.waitFor({ state: 'detached' });
    await table.getByRole('row', { name: /checkout-web/ }).waitFor();
    await fraud.waitFor({ state: 'detached' });

    // Level: Silver. payment-service is there, fraud-detector (no runbook,
    // so bronze) is not.
    await page.getByRole('combobox', { name: 'Level' }).click();
    await page.getByRole('option', { name: 'Silver', exact: true }).click();
    await payment.waitFor();
    await fraud.waitFor({ state: 'detached' });

    // Back to any level, then the failing check: runbook missing.
    await page.getByRole('combobox', { name: 'Level' }).click();
    await page.getByRole('option', { name: 'Any' }).click();
    await payment.waitFor();
    await page.getByRole('combobox', { name: 'Failing check' }).click();
    await page
      .getByRole('option', { name: 'Runbook linked', exact: true })
      .click();
    await fraud.waitFor();
    await fraud.getByLabel('Level: Bronze').waitFor();
    await payment.waitFor({ state: 'detached' });
  });

  it('shows what is below silver from a shared link, and keeps it on reload', async () => {
    const table = page.getByRole('table', { name: 'Scorecards' });
    const payment = table.getByRole('row', { name: /payment-service/ });
    const fraud = table.getByRole('row', { name: /fraud-detector/ });

    await page.goto(`${portal.baseUrl}/scorecards?below=silver`);
    await fraud.waitFor();
    await payment.waitFor({ state: 'detached' });
    await page.reload();
    await fraud.waitFor();
    await payment.waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('below')).toBe('silver');
  });
});
