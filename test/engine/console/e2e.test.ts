/**
 * The console in a real headless Chromium (Debian's `chromium`, driven by playwright-core): log in,
 * see the queue, open the alert of a simulated phishing attack by keyboard, see its process tree,
 * resolve it as a false positive with an exception, and see the same event again raise no alert.
 * Screenshots go to test-results/console/ (gitignored). Without Chromium this test fails and says
 * how to install it; it never skips (.ci/run installs it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../../common/errors.js';
import { AccessService } from '../../../engine/access/index.js';
import { ALL_TENANTS } from '../../../engine/store/index.js';
import { waitFor } from '../../helpers/fixtures.js';
import { attackRig, sameEventAgain, type AttackRig } from './attack.js';

const CHROMIUM = process.env['VIGIE_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', '..', '..', 'test-results', 'console');

describe('web console in headless Chromium', () => {
  let rig: AttackRig;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set VIGIE_CHROMIUM); the console's browser tests need it`);
    }
    mkdirSync(SHOTS, { recursive: true });
    rig = await attackRig();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const access = new AccessService(rig.engine.sqlite);
    unwrap(access.createUser('test', 'ana', 'tenant_analyst', [rig.host.tenant]));
    token = unwrap(access.issueToken('test', 'ana', 'browser')).token;
    await waitFor(() => rig.engine.sqlite.alerts.list(ALL_TENANTS).length === 1 && rig.engine.sqlite.detections.count() >= 3, 15_000, 'the attack alert');
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('logs in, triages the attack from the queue, and the exception keeps the next identical event quiet', async () => {
    const url = rig.engine.httpUrl!;
    // A wrong token is refused.
    await page.goto(`${url}/console/`);
    expect(page.url()).toBe(`${url}/console/login`);
    await page.fill('#token', 'vigie_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('not valid');
    // Log in by keyboard.
    await page.fill('#token', token);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/console/`);
    const rows = page.locator('tbody tr[data-alert]');
    expect(await rows.count()).toBe(1);
    const row = await rows.first().innerText();
    expect(row).toMatch(/\[(CRITICAL|HIGH)\]/); // severity as a word, not only a colour
    expect(row).toContain(rig.host.name);
    expect(row).toContain('New');
    await page.screenshot({ path: join(SHOTS, 'queue.png'), fullPage: true });

    // Open it with the keyboard: j focuses the first alert, Enter follows the link.
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/alerts\/\d+$/);
    const tree = page.locator('ul.tree');
    const treeText = await tree.innerText();
    expect(treeText).toContain('[ALERT PROCESS] powershell.exe');
    expect(treeText).toContain('[ANCESTOR] WINWORD.EXE');
    expect(treeText).toContain('OUTLOOK.EXE');
    expect(treeText).toMatch(/\[CHILD\] cmd\.exe/);
    expect(treeText).toContain(rig.powershell.processStart!.commandLine!);
    // whoami fired nothing and is no one's ancestor: only the archived telemetry around the alert
    // (its process context) puts it in the tree, as a descendant of the alert's process.
    const whoami = rig.events.find((e) => e.processStart?.image?.endsWith('whoami.exe'))!.processStart!;
    expect(treeText).toMatch(/\[DESCENDANT\] whoami\.exe/);
    expect(treeText).toContain(`user ${whoami.user}`);
    expect(await page.locator('#tree-source').innerText()).toContain('[FROM THE ARCHIVE]');
    expect(await page.locator('#why').isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'alert.png'), fullPage: true });

    // Resolve as a false positive with an exception for this exact command on this host.
    const form = page.locator('form[aria-label="Resolve as false positive"]');
    await form.locator('select[name=ruleId]').selectOption('');
    await form.locator('input[name=image]').fill('powershell.exe');
    await form.locator('input[name=commandLine]').fill(rig.powershell.processStart!.commandLine!);
    await form.locator('input[name=reason]').fill('IT deployment macro, approved by the service');
    await form.locator('input[name=note]').fill('checked with the town IT');
    await form.locator('button[value=resolved_false_positive]').click();
    await page.waitForURL(/\/console\/alerts\/\d+$/);
    expect(await page.locator('#alert-state').innerText()).toContain('Resolved: false positive');
    expect(await page.locator('section[aria-labelledby=history]').innerText()).toContain('exception');
    await page.screenshot({ path: join(SHOTS, 'resolved.png'), fullPage: true });

    // The same event again: stored, suppressed by the exception, no alert.
    const store = rig.engine.sqlite;
    const before = store.detections.count();
    rig.agent.ingest([sameEventAgain(rig.powershell, 5)]);
    rig.agent.flush();
    await waitFor(() => store.detections.count() > before, 15_000, 'the repeated event\'s detections');
    await new Promise((r) => setTimeout(r, 200));
    const again = store.detections.list({ limit: store.detections.count() - before });
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(again.every((d) => d.suppressedBy !== null && d.alertId === null)).toBe(true);
    await page.goto(`${url}/console/`);
    expect(await page.locator('tbody tr[data-alert]').count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain('No alerts match.');
    await page.screenshot({ path: join(SHOTS, 'queue-after.png'), fullPage: true });
    // The host page and fleet health are there too.
    await page.goto(`${url}/console/fleet`);
    expect(await page.locator('main').innerText()).toContain(rig.host.name);
    expect(await page.locator('main').innerText()).toMatch(/ONLINE|OFFLINE/);
  });
});
