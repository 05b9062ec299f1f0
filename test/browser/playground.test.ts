/**
 * The playground as a new user meets it, in Debian's Chromium: `npm start`'s entry point in a
 * process of its own on a machine where nothing answers at Redis's default address (so it runs its
 * own redis-server), then the page — an unknown command, the VPN form and its pickers, a refused
 * click, an approval through to the active gateway, a reload. The steps run in order, as a person
 * would take them.
 *
 * Screenshots go to test-artifacts/ (ignored by git); `npm run screenshots` writes them into docs/
 * instead, where the README shows them. A test run never rewrites committed files.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/free-port.js';
import { type BotProcess, runNode } from '../support/processes.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
const SHOTS = process.env.PLAYGROUND_SCREENSHOTS_DIR ?? 'test-artifacts';
const LEAD = 'U0LEAD0001';
const OTHER_LEAD = 'U0LEAD0002';

let bot: BotProcess;
let browser: Browser;
let page: Page;
let url: string;
let ownRedis: Record<string, unknown>;
/** Every answer of 400 or more the page received, and every error its script threw. */
const failures: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  bot = runNode('src/main.ts', {
    PORT: '0',
    LOG_FORMAT: 'json',
    // Nothing listens here: the playground must fall back on a redis-server of its own.
    PLAYGROUND_DEFAULT_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    SIMULATOR_PROVISION_TIME: '2s',
    POLL_INTERVAL: '300ms',
    POLL_MAX_INTERVAL: '600ms',
  });
  ownRedis = await bot.waitForLog(/the playground runs its own redis-server/, 30_000);
  const ready = await bot.waitForLog(/playground ready/, 30_000);
  url = `http://127.0.0.1:${String(ready.url).split(':').at(-1)}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await bot?.stop('SIGTERM');
});

async function shoot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  expect(existsSync(file)).toBe(true);
}

async function type(command: string) {
  await page.fill('[data-testid="composer"]', command);
  await page.press('[data-testid="composer"]', 'Enter');
}

function picker(blockId: string) {
  return page.locator(`.ext[data-block-id="${blockId}"]`);
}

async function pick(blockId: string, text: string) {
  await picker(blockId).locator('.ext-input').click();
  const option = picker(blockId).locator('li', { hasText: text }).first();
  await option.waitFor();
  await option.click();
  await picker(blockId).locator('.ext-list').waitFor({ state: 'hidden' });
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

/** The channel message holding the button `actionId` of the `nth` request (0: the oldest). */
function requestMessage(nth: number) {
  return page
    .locator('[data-testid="messages"] [data-testid="message"]', {
      has: page.locator('button[data-action-id="approve_request"]'),
    })
    .nth(nth);
}

describe.skipIf(!hasChromium)('the playground in a browser, from npm start with no Redis running', () => {
  it('starts anyway on a private redis-server, and serves the page with its icon and sandbox badge', async () => {
    expect(String(ownRedis.redis)).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await page.locator('#sandbox').isVisible()).toBe(true);
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toMatch(/^data:image\/svg\+xml,/);
    expect(failures).toEqual([]);
  });

  it('answers an unknown command at once, saying which command it knows', async () => {
    const started = Date.now();
    await type('/vpn');
    const answer = page.locator('[data-testid="ephemeral"]', { hasText: 'only knows /gateway' });
    await answer.waitFor({ timeout: 2_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await answer.textContent()).not.toContain('HTTP');
  });

  it('keeps pickers usable: a filled one lists again, a list never covers the next field, errors keep names', async () => {
    await page.selectOption('[data-testid="user-switch"]', LEAD);
    await type('/gateway vpn');
    await page.waitForSelector('#overlay.open');
    await pick('RegionId', 'cn-hangzhou');
    // A dual-tunnel region: the bot redraws the form with a second vSwitch, in another zone.
    await page.locator('[data-input-block="DisasterRecoveryVSwitchId"]').waitFor();

    // An open list pushes the next field down instead of covering it.
    await picker('VpcId').locator('.ext-input').click();
    const list = picker('VpcId').locator('.ext-list');
    await list.locator('li', { hasText: 'production' }).first().waitFor();
    const next = page.locator('[data-input-block="VpcId"] + .input-block');
    const listBox = await box(list);
    expect(listBox.y + listBox.height).toBeLessThanOrEqual((await box(next)).y);
    await list.locator('li', { hasText: 'production' }).first().click();
    await list.waitFor({ state: 'hidden' });
    const chosenLabel = await picker('VpcId').locator('.ext-input').inputValue();
    expect(chosenLabel).toMatch(/^production-vpc · vpc-/);

    // Only vSwitches in zones that can host a VPN gateway are offered; the second one in another zone.
    await pick('VSwitchId', 'production-h');
    await pick('DisasterRecoveryVSwitchId', 'production-i');

    // Reopening a filled picker lists every choice again, not only what matches its label.
    await picker('VpcId').locator('.ext-input').click();
    await list.locator('li').nth(1).waitFor();
    expect(await list.locator('li[data-value]').count()).toBeGreaterThan(1);
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    expect(await picker('VpcId').locator('.ext-input').inputValue()).toBe(chosenLabel);

    // A choice that changes the form: the bot redraws the modal, and what was chosen stays, by name.
    await page.check('[data-block-id="InstanceChargeType"] input[value="PREPAY"]');
    await page.locator('[data-input-block="Period"]').waitFor();
    expect(await picker('VpcId').locator('.ext-input').inputValue()).toBe(chosenLabel);
    await page.check('[data-block-id="InstanceChargeType"] input[value="POSTPAY"]');
    await page.locator('[data-input-block="Period"]').waitFor({ state: 'detached' });

    await page.selectOption('select[data-block-id="Bandwidth"]', '10');
    await page.fill('input[data-block-id="Name"]', '1-bad-name');
    await page.click('[data-testid="modal-submit"]');
    const fieldError = page.locator('[data-input-block="Name"] [data-testid="field-error"]');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/start with a letter/);
    // After the error the pickers still show names, not the ids they stand for.
    expect(await picker('RegionId').locator('.ext-input').inputValue()).toMatch(/Hangzhou|杭州/);
    expect(await picker('VpcId').locator('.ext-input').inputValue()).toBe(chosenLabel);
    await shoot('playground-form.png');

    await page.fill('input[data-block-id="Name"]', 'office-vpn');
    await page.click('[data-testid="modal-submit"]');
    await page.waitForSelector('#overlay', { state: 'hidden' });
    await requestMessage(0).waitFor({ timeout: 15_000 });
  });

  it('shows a refusal next to the message whose button was clicked, not at the bottom', async () => {
    // A later message, so that the bottom of the channel is somewhere else.
    await type('/gateway customer');
    await page.waitForSelector('#overlay.open');
    await pick('RegionId', 'cn-hangzhou');
    await page.fill('input[data-block-id="IpAddress"]', '47.75.0.1');
    await page.click('[data-testid="modal-submit"]');
    await page.waitForSelector('#overlay', { state: 'hidden' });
    await requestMessage(1).waitFor({ timeout: 15_000 });

    // The lead asked for the VPN gateway herself, so her own approval is refused.
    const first = requestMessage(0);
    const ts = await first.getAttribute('data-ts');
    await first.locator('button[data-action-id="approve_request"]').click();
    const refusal = page.locator(`[data-testid="message"][data-ts="${ts}"] + [data-testid="ephemeral"]`);
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('cannot approve it yourself');
    const pane = await box(page.locator('[data-testid="messages"]'));
    const shown = await box(refusal);
    expect(shown.y).toBeGreaterThanOrEqual(pane.y);
    expect(shown.y + shown.height).toBeLessThanOrEqual(pane.y + pane.height);
    await shoot('playground-refusal.png');
  });

  it('remembers the chosen person across a reload, and carries an approval through to the result', async () => {
    await page.selectOption('[data-testid="user-switch"]', OTHER_LEAD);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    expect(await page.inputValue('[data-testid="user-switch"]')).toBe(OTHER_LEAD);

    await requestMessage(0).locator('button[data-action-id="approve_request"]').click();
    const result = page.locator('[data-testid="messages"] [data-testid="message"]', { hasText: 'is active' });
    await result.waitFor({ timeout: 30_000 });
    expect((await result.textContent()) ?? '').toMatch(/vpn-[a-z0-9]{21}/);

    await page.locator('.replies').first().click();
    await page.locator('#thread-messages', { hasText: 'is active' }).waitFor();
    await shoot('playground.png');
    expect(failures).toEqual([]);
  }, 60_000);
});
