import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { type Runtime, startRuntime } from '../../src/runtime/index.js';
import { REDIS_URL, testRedis } from '../support/redis.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );

const t = testRedis('browser');
let playground: Playground;
let bot: Runtime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!hasChromium) return;
  const logger = createLogger({ level: 'silent' });
  const base = loadConfig({
    PORT: '0',
    REDIS_URL,
    REDIS_PREFIX: t.prefix,
    POLL_INTERVAL: '200ms',
    POLL_MAX_INTERVAL: '500ms',
  });
  playground = await startPlayground({ ...base, sandbox: { provisionTimeMs: 1_500 } }, logger);
  bot = await startRuntime(playground.config, { logger, host: '127.0.0.1', extraRoutes: playground.routes });
  playground.attach(bot.http.url);
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
  await page.goto(bot.http.url);
  await page.waitForSelector('body[data-ready="1"]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bot?.close();
  await playground?.close();
  await t.cleanup();
});

async function pick(blockId: string, text: string) {
  await page.click(`.ext[data-block-id="${blockId}"] .ext-input`);
  const option = page.locator(`.ext[data-block-id="${blockId}"] li`, { hasText: text }).first();
  await option.waitFor();
  await option.click();
}

describe('the playground in a browser', () => {
  it.skipIf(!hasChromium)(
    'requests a VPN gateway, shows a field error, refuses self-approval, and shows the lead’s approval through to the result',
    async () => {
      // A team lead asks, so that approving it herself is refused as self-approval.
      await page.selectOption('[data-testid="user-switch"]', 'U0LEAD0001');
      await page.fill('[data-testid="composer"]', '/gateway vpn');
      await page.press('[data-testid="composer"]', 'Enter');
      await page.waitForSelector('#overlay.open');
      await pick('RegionId', 'cn-hangzhou');
      // A dual-tunnel region: the form asks for a second vSwitch, in another zone.
      await page.waitForSelector('.ext[data-block-id="DisasterRecoveryVSwitchId"]');
      await pick('VpcId', 'production');
      await pick('VSwitchId', 'production-h');
      await pick('DisasterRecoveryVSwitchId', 'production-i');
      await page.selectOption('select[data-block-id="Bandwidth"]', '10');
      await page.fill('input[data-block-id="Name"]', '1-bad-name');
      await page.click('[data-testid="modal-submit"]');
      const fieldError = page.locator('[data-input-block="Name"] [data-testid="field-error"]');
      await fieldError.waitFor();
      expect(await fieldError.textContent()).toMatch(/start with a letter/);

      await page.fill('input[data-block-id="Name"]', 'office-vpn');
      await page.click('[data-testid="modal-submit"]');
      await page.waitForSelector('#overlay', { state: 'hidden' });
      const approve = page.locator('button[data-action-id="approve_request"]').first();
      await approve.waitFor({ timeout: 15_000 });

      await approve.click();
      const refusal = page.locator('[data-testid="ephemeral"]', { hasText: 'cannot approve it yourself' });
      await refusal.waitFor();

      await page.selectOption('[data-testid="user-switch"]', 'U0LEAD0002');
      await page.locator('button[data-action-id="approve_request"]').first().click();
      const result = page.locator('[data-testid="messages"] [data-testid="message"]', {
        hasText: 'is active',
      });
      await result.waitFor({ timeout: 30_000 });
      const text = (await result.textContent()) ?? '';
      expect(text).toMatch(/vpn-[a-z0-9]{21}/);

      await page.locator('.replies').first().click();
      await page.locator('#thread-messages', { hasText: 'is active' }).waitFor();
      mkdirSync('test-artifacts', { recursive: true });
      await page.screenshot({ path: 'test-artifacts/playground-thread.png' });
      expect(existsSync('test-artifacts/playground-thread.png')).toBe(true);
    },
    90_000,
  );
});
