/**
 * The playground as a new user meets it, in Debian's Chromium: `npm start`'s entry point in a
 * process of its own on a machine where nothing answers at Redis's default address (so it runs its
 * own redis-server), then the page — an unknown command, the VPN form and its pickers, a refused
 * click, an approval through to the active gateway, a reload, the page in Chinese for 林伟 — and
 * the whole site-to-site story: a customer gateway approved from a lead's Home tab and found on its
 * requester's, Connect… from the gateway's result, the connection approved, its pre-shared key and
 * its device configuration (in a format picked in the answer) shown to the requester only, BGP in
 * both tunnels, the on-premises peer
 * configured from the page, the tunnels-up message, and both deletes through Block Kit's confirm
 * dialog. The steps run in order, as a person would take them.
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
const ENGINEER = 'U0ASKER001';
const LEAD = 'U0LEAD0001';
const OTHER_LEAD = 'U0LEAD0002';
const GUEST = 'U0GUEST001';

let bot: BotProcess;
let browser: Browser;
let page: Page;
let url: string;
let ownRedis: Record<string, unknown>;
/** The sandbox's VPC simulator, read directly to check what the page shows against the account. */
let simulatorUrl: string;
/** Every answer of 400 or more the page received, and every error its script threw. */
const failures: string[] = [];
/** The keys a rotation gave the connection, read from the account before it was deleted. */
let rotatedKeys: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  bot = runNode('src/main.ts', {
    PORT: '0',
    LOG_FORMAT: 'json',
    // Nothing listens here: the playground must fall back on a redis-server of its own.
    PLAYGROUND_DEFAULT_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    SIMULATOR_PROVISION_TIME: '2s',
    SIMULATOR_DELETE_TIME: '1s',
    SIMULATOR_UPDATE_TIME: '500ms',
    POLL_INTERVAL: '300ms',
    POLL_MAX_INTERVAL: '600ms',
    TUNNEL_HEALTH_INTERVAL: '1s',
  });
  ownRedis = await bot.waitForLog(/the playground runs its own redis-server/, 30_000);
  simulatorUrl = String((await bot.waitForLog(/sandbox mode/, 30_000)).endpoint);
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

/** The page made as tall as its longest pane, from the top, so one picture holds the whole story. */
async function shootTall(name: string) {
  // Run in the page, written out as text: these tests are compiled without the DOM's types.
  const height = await page.evaluate<number>(`(() => {
    const scroll = (id) => document.getElementById(id)?.scrollHeight ?? 0;
    const chrome = window.innerHeight - (document.getElementById('messages')?.clientHeight ?? 0);
    return chrome + Math.max(scroll('messages'), scroll('thread-messages'));
  })()`);
  await page.setViewportSize({ width: 1400, height: Math.min(height + 8, 12_000) });
  await page.evaluate(
    `for (const id of ['messages', 'thread-messages']) document.getElementById(id)?.scrollTo(0, 0)`,
  );
  await shoot(name);
  await page.setViewportSize({ width: 1400, height: 900 });
}

async function type(command: string) {
  await page.fill('[data-testid="composer"]', command);
  await page.press('[data-testid="composer"]', 'Enter');
}

function picker(blockId: string) {
  return page.locator(`.ext[data-block-id="${blockId}"]`);
}

async function pick(blockId: string, text: string) {
  const option = picker(blockId).locator('li', { hasText: text }).first();
  // As a person would: when the bot says the cloud is slow to answer (a busy machine), look again.
  const slow = picker(blockId).locator('li[data-value="__unavailable__"]');
  for (let attempt = 1; ; attempt++) {
    await picker(blockId).locator('.ext-input').click();
    await option.or(slow).first().waitFor();
    if (await option.isVisible()) break;
    if (attempt === 5) throw new Error(`${blockId}: the cloud was slow to answer five times`);
    await page.click('#modal-title');
    await page.waitForTimeout(1_000);
  }
  await option.click();
  await picker(blockId).locator('.ext-list').waitFor({ state: 'hidden' });
}

/** Chooses the account in a form that asks which: the playground's channel may use two. */
async function chooseAccount(name = 'production') {
  await page.selectOption('select[data-block-id="account"]', name);
}

async function become(user: string) {
  await page.selectOption('[data-testid="user-switch"]', user);
}

/** The newest message in the channel that says `text`. */
function channelMessage(text: string | RegExp) {
  return page.locator('[data-testid="messages"] [data-testid="message"]', { hasText: text }).last();
}

/** The newest message in the open thread that says `text`. */
function threadMessage(text: string | RegExp) {
  return page.locator('#thread-messages [data-testid="message"]', { hasText: text }).last();
}

/** Opens the thread of the channel message `message` (a request). */
async function openThread(message: Locator) {
  const ts = await message.getAttribute('data-ts');
  await message.locator('.replies').click();
  await page.locator(`#thread-messages [data-testid="message"][data-ts="${ts}"]`).waitFor();
}

/** Clicks the red Approve of a deletion request: Block Kit's confirm asks first. */
async function approveDeletion(request: Locator) {
  await request.locator('button[data-action-id="approve_request"]').click();
  const dialog = page.locator('#confirm.open [data-testid="confirm"]');
  await dialog.waitFor();
  expect(await dialog.locator('#confirm-title').textContent()).toBe('Delete for good?');
  await dialog.locator('#confirm-yes').click();
  await dialog.waitFor({ state: 'hidden' });
}

async function simulatorState(): Promise<{
  vpnConnections: { VpnConnectionId: string; tunnels: { TunnelId: string; ike: { Psk: string } }[] }[];
  vpnGateways: { VpnGatewayId: string }[];
}> {
  // Everything the story makes is in the account chosen in its forms.
  return (await fetch(`${simulatorUrl}/_simulator/state?account=production`)).json() as never;
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

/** The channel message holding the approve button of the `nth` request still waiting (0: the oldest). */
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
    await chooseAccount();
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
    await chooseAccount();
    await pick('RegionId', 'cn-hangzhou');
    await page.fill('input[data-block-id="IpAddress"]', '47.75.0.1');
    // The office's device speaks BGP: its AS number, for BGP in the connection's tunnels later.
    await page.fill('input[data-block-id="Asn"]', '65010');
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
    await become(OTHER_LEAD);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    expect(await page.inputValue('[data-testid="user-switch"]')).toBe(OTHER_LEAD);

    await requestMessage(0).locator('button[data-action-id="approve_request"]').click();
    const result = channelMessage('is active');
    await result.waitFor({ timeout: 30_000 });
    expect((await result.textContent()) ?? '').toMatch(/vpn-[a-z0-9]{21}/);

    await page.locator('.replies').first().click();
    await page.locator('#thread-messages', { hasText: 'is active' }).waitFor();
    await become(LEAD);
    await shoot('playground.png');
    expect(failures).toEqual([]);
  }, 60_000);

  it('speaks Chinese to 林伟, whose Slack locale is zh-CN, and English again to the others', async () => {
    await become(OTHER_LEAD);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('header')).toContain('网关机器人演练场');
    expect(await page.textContent('header')).toContain('当前身份');
    expect(await page.textContent('#sandbox')).toBe('沙箱');
    expect(await page.textContent('[data-testid="user-switch"] option[value="U0ASKER001"]')).toBe(
      'Ana Chen（网络工程师）',
    );
    expect(await page.textContent('#site-title')).toBe('本地站点（模拟）');
    expect(await page.locator('#site').textContent()).toContain('“配置对端”代表在本地 VPN 设备上');
    expect(await page.getAttribute('[data-testid="composer"]', 'placeholder')).toBe(
      '输入 /gateway vpn、/gateway connection 或 /gateway help',
    );
    expect(await page.locator('.replies').first().textContent()).toMatch(/^\d+ 条回复$/);
    await type('/vpn');
    await page.locator('[data-testid="ephemeral"]', { hasText: '此演练场只认识 /gateway 命令' }).waitFor();
    // The bot's form in 林伟's language, and the page's own words around it in the same.
    await type('/gateway connection');
    await page.waitForSelector('#overlay.open');
    await chooseAccount();
    await pick('RegionId', 'cn-hangzhou');
    await page.locator('[data-input-block="TunnelOptionsSpecification.2.CustomerGatewayId"]').waitFor();
    expect(await page.textContent('#modal-title')).toBe('IPsec 连接');
    expect(await page.locator('.input-block .optional').first().textContent()).toBe('（选填）');
    await shoot('playground-zh.png');
    await page.click('#modal-close');
    await page.waitForSelector('#overlay', { state: 'hidden' });

    await become(ENGINEER);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#site-title')).toBe('Your site (simulated)');
    expect(await page.locator('.replies').first().textContent()).toMatch(/^\d+ replies$/);
  });

  let gatewayId: string;
  let customerGatewayId: string;
  let connectionId: string;

  it('lets a lead approve from the Home tab, and shows the requester their request there', async () => {
    await become(OTHER_LEAD);
    await page.click('[data-testid="home-tab"]');
    const home = page.locator('[data-testid="home"]');
    const approve = home.locator('button[data-action-id="approve_request"]');
    await approve.waitFor();
    expect(await home.textContent()).toContain('待您审批');
    expect(await approve.count()).toBe(1);
    await approve.click();
    // Home is published again, saying what the click did, with nothing left to approve.
    await home.locator('.block-section', { hasText: '已记录您对' }).waitFor();
    expect(await approve.count()).toBe(0);
    await page.click('[data-testid="channel-tab"]');
    const request = channelMessage(/asks for a \*?customer gateway/);
    await request.locator('.replies').waitFor();
    await openThread(request);
    await threadMessage(/Approved by/).waitFor({ timeout: 15_000 });

    // The requester (Lee asked for it) finds it on their own Home tab.
    await become(LEAD);
    await page.click('[data-testid="home-tab"]');
    await home.locator('.block-section', { hasText: 'Customer gateway' }).waitFor();
    expect(await home.textContent()).toContain('Your requests');
    await shoot('playground-home.png');
    // Its link opens the request's thread, as a permalink does in Slack.
    const mine = home.locator('.block-section', { hasText: 'Customer gateway' });
    await mine.locator('a', { hasText: 'thread' }).click();
    await page.locator('#thread.open #thread-messages', { hasText: 'Approved by' }).waitFor();
    expect(await home.isHidden()).toBe(true);
    expect(failures).toEqual([]);
  }, 60_000);

  it('approves the customer gateway, then opens the connection form from the gateway’s result, filled in', async () => {
    await become(OTHER_LEAD);
    const made = channelMessage(/Customer gateway cgw-/);
    await made.waitFor({ timeout: 30_000 });
    customerGatewayId = /cgw-[a-z0-9]+/.exec((await made.textContent()) ?? '')?.[0] ?? '';
    const gatewayResult = channelMessage('is active');
    gatewayId = /vpn-[a-z0-9]+/.exec((await gatewayResult.textContent()) ?? '')?.[0] ?? '';
    expect(customerGatewayId).not.toBe('');
    expect(gatewayId).not.toBe('');
    // The "your site" panel lists the new customer gateway, with nothing connected to it yet.
    await page.locator(`[data-testid="site-gateway"][data-id="${customerGatewayId}"]`).waitFor();
    expect(await page.locator('[data-testid="site-connection"]').count()).toBe(0);

    await become(ENGINEER);
    await gatewayResult.locator('button[data-action-id="connect_gateways"]').click();
    await page.waitForSelector('#overlay.open');
    expect(await page.textContent('#modal-title')).toBe('IPsec connection');
    // Filled in from the result (initial_option on external selects): the region by its id, the
    // gateway as its pick-list shows one (name, id, public IPs).
    expect(await picker('RegionId').locator('.ext-input').inputValue()).toBe('cn-hangzhou');
    expect(await picker('VpnGatewayId').locator('.ext-input').inputValue()).toMatch(
      new RegExp(`^office-vpn · ${gatewayId} · \\d+\\.\\d+\\.\\d+\\.\\d+`),
    );
    // The IKE/IPsec settings sit apart, under a divider and a heading people can leave alone.
    const heading = page.locator('#modal-body hr + .block-context');
    expect(await heading.textContent()).toContain('IKE and IPsec settings');
    expect(
      await page
        .locator('#modal-body hr + .block-context ~ [data-input-block="IkeConfig.IkeVersion"]')
        .count(),
    ).toBe(1);

    // One device at the office serves both tunnels: the same customer gateway twice.
    await pick('TunnelOptionsSpecification.1.CustomerGatewayId', customerGatewayId);
    await pick('TunnelOptionsSpecification.2.CustomerGatewayId', customerGatewayId);
    await page.fill('input[data-block-id="LocalSubnet"]', '172.17.0.0/16');
    await page.fill('input[data-block-id="RemoteSubnet"]', '10.10.0.0/16');
    await page.fill('input[data-block-id="Name"]', 'office link');
    // BGP in both tunnels: turning it on brings each tunnel's /30 into the form, with free ones proposed.
    await page.check('input[name="EnableTunnelsBgp"][value="true"]');
    const cidr = (n: number) => `TunnelOptionsSpecification.${n}.TunnelBgpConfig.TunnelCidr`;
    await picker(cidr(1)).waitFor();
    await pick(cidr(1), '169.254.10.0/30');
    await pick(cidr(2), '169.254.10.4/30');
    await page.click('[data-testid="modal-submit"]');
    await page.waitForSelector('#overlay', { state: 'hidden' });
    await requestMessage(0).waitFor({ timeout: 15_000 });
    expect(await requestMessage(0).textContent()).toContain('IPsec connection');
  }, 60_000);

  it('creates the connection once a lead approves, and shows its key to the requester only', async () => {
    await become(LEAD);
    const request = requestMessage(0);
    await request.locator('button[data-action-id="approve_request"]').click();
    const result = channelMessage(/IPsec connection vco-/);
    await result.waitFor({ timeout: 30_000 });
    connectionId = /vco-[a-z0-9]+/.exec((await result.textContent()) ?? '')?.[0] ?? '';
    expect(await result.textContent()).toContain('ike_sa_not_established');

    await become(ENGINEER);
    await openThread(channelMessage(/asks for an IPsec connection/));
    const inThread = threadMessage(/IPsec connection vco-/);
    await inThread.locator('button[data-action-id="reveal_psk"]').click();
    const ts = await inThread.getAttribute('data-ts');
    const answer = page.locator(
      `#thread-messages [data-testid="message"][data-ts="${ts}"] + [data-testid="ephemeral"]`,
    );
    await answer.waitFor();
    const shown = (await answer.textContent()) ?? '';
    expect(shown).toContain(`Pre-shared key of ${connectionId}`);
    // The keys shown are the account's own, read at the click.
    const account = (await simulatorState()).vpnConnections.find((c) => c.VpnConnectionId === connectionId);
    const keys = account?.tunnels.map((t) => t.ike.Psk) ?? [];
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(shown).toContain(key);
    const keyText = page.locator('[data-testid="ephemeral"]', { hasText: keys[0] ?? 'none' });

    // Nobody else sees it: not the guest, not the lead, not the panel's listing.
    await become(GUEST);
    expect(await keyText.count()).toBe(0);
    await inThread.locator('button[data-action-id="reveal_psk"]').click();
    const refused = page.locator(`#thread-messages [data-ts="${ts}"] + [data-testid="ephemeral"]`);
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Only the person who asked for this connection');
    expect(await keyText.count()).toBe(0);
    await become(LEAD);
    expect(await keyText.count()).toBe(0);
    const listing = await (await fetch(`${url}/playground/sandbox`)).text();
    expect(listing).toContain(connectionId);
    for (const key of keys) expect(listing).not.toContain(key);
    await become(ENGINEER);
    expect(await keyText.count()).toBe(1);
  }, 60_000);

  it('shows the device configuration to the requester, and writes it again in the format picked in it', async () => {
    await become(ENGINEER);
    const inThread = threadMessage(/IPsec connection vco-/);
    await inThread.locator('button[data-action-id="peer_config"]').click();
    const answers = page.locator('#thread-messages [data-testid="ephemeral"]', {
      hasText: 'Configuration of your on-premises device',
    });
    await answers.first().waitFor();
    const account = (await simulatorState()).vpnConnections.find((c) => c.VpnConnectionId === connectionId);
    const keys = account?.tunnels.map((t) => t.ike.Psk) ?? [];
    expect(keys).toHaveLength(2);
    // As strongSwan takes it: the key as it is, or in hex where swanctl would read it otherwise.
    const holds = (text: string, key: string) =>
      text.includes(key) || text.includes(Buffer.from(key).toString('hex'));
    const strongswan = (await answers.first().locator('pre').allTextContents()).join('\n');
    expect(strongswan).toContain('connections {');
    for (const key of keys) expect(holds(strongswan, key)).toBe(true);

    await answers.first().locator('select.msg-select').selectOption('generic');
    await answers.nth(1).waitFor();
    const generic = (await answers.nth(1).locator('pre').allTextContents()).join('\n');
    expect(generic).not.toContain('connections {');
    for (const key of keys) expect(generic).toContain(key);
    expect(await answers.nth(1).locator('select.msg-select').inputValue()).toBe('generic');
    await become(GUEST);
    expect(await answers.count()).toBe(0);
    await become(ENGINEER);
  }, 60_000);

  it('brings the tunnels up when the peer is configured from the page, and the bot says so in the thread', async () => {
    const control = threadMessage(/IPsec connection vco-/).locator('[data-testid="peer-control"]');
    expect(await control.textContent()).toContain('stands for configuring your office’s VPN device');
    const entry = page.locator(`[data-testid="site-connection"][data-id="${connectionId}"]`);
    expect(await entry.textContent()).toContain('tunnel 1: down');
    // Reading back up the thread: what arrives meanwhile is not out of sight for long.
    await page.evaluate(`document.getElementById('thread-messages').scrollTo(0, 0)`);
    await control.locator('button[data-peer-connection]').click();
    await entry.locator('.peer-done').waitFor();
    expect(await entry.textContent()).toContain('tunnel 2: up');

    const up = threadMessage(`Both tunnels of ${connectionId} are up`);
    await up.waitFor({ state: 'attached', timeout: 30_000 });
    const marker = page.locator('#thread [data-testid="new-below"]');
    await marker.waitFor();
    expect(await marker.textContent()).toBe('New messages below ↓');
    await marker.click();
    await marker.waitFor({ state: 'detached' });
    const pane = await box(page.locator('#thread-messages'));
    const shown = await box(up);
    expect(shown.y + shown.height).toBeLessThanOrEqual(pane.y + pane.height + 1);
    // And, with BGP on, both sessions: the bot waited for them too.
    expect(await up.textContent()).toContain('BGP is established in both tunnels');
    expect(await entry.textContent()).toContain('169.254.10.4/30');
    expect(
      await threadMessage(/IPsec connection vco-/)
        .locator('.peer-control.done')
        .count(),
    ).toBe(1);
  }, 60_000);

  it('takes a tunnel down from the page, and the bot says so in the thread, and again when it is back', async () => {
    const entry = page.locator(`[data-testid="site-connection"][data-id="${connectionId}"]`);
    await entry.locator('button[data-tunnel-index="1"]').click();
    await entry.locator('button[data-tunnel-up="true"]').waitFor();
    expect(await entry.textContent()).toContain('tunnel 1: down');
    await threadMessage(new RegExp(`Tunnel 1 \\(active\\) .* of ${connectionId} is down since`)).waitFor({
      state: 'attached',
      timeout: 15_000,
    });
    await entry.locator('button[data-tunnel-up="true"]').click();
    await threadMessage(new RegExp(`Tunnel 1 .* of ${connectionId} is up again`)).waitFor({
      state: 'attached',
      timeout: 15_000,
    });
  }, 40_000);

  it('rotates the keys: the tunnels go down until the peer is configured again from the result', async () => {
    const keysNow = async () =>
      (await simulatorState()).vpnConnections
        .find((c) => c.VpnConnectionId === connectionId)
        ?.tunnels.map((t) => t.ike.Psk) ?? [];
    const before = await keysNow();
    await type(`/gateway rotate-key ${connectionId}`);
    const request = requestMessage(0);
    await request.waitFor({ timeout: 15_000 });
    expect(await request.textContent()).toContain('new pre-shared keys');
    await become(LEAD);
    await request.locator('button[data-action-id="approve_request"]').click();
    const result = channelMessage(`IPsec connection ${connectionId} has new pre-shared keys`);
    await result.waitFor({ timeout: 30_000 });
    await become(ENGINEER);
    rotatedKeys = await keysNow();
    expect(rotatedKeys).toHaveLength(2);
    for (const [i, key] of rotatedKeys.entries()) expect(key).not.toBe(before[i]);
    expect(await result.textContent()).toContain('stay down until your on-premises device has the new keys');
    const entry = page.locator(`[data-testid="site-connection"][data-id="${connectionId}"]`);
    await entry.locator('button[data-peer-connection]').waitFor();
    expect(await entry.textContent()).toContain('tunnel 1: down');
    await result.locator('[data-testid="peer-control"] button[data-peer-connection]').click();
    await entry.locator('.peer-done').waitFor();
    expect(await entry.textContent()).toContain('tunnel 2: up');
  }, 60_000);

  it('deletes the connection, then the gateway, each through the confirm dialog of its red Approve', async () => {
    await type(`/gateway delete ${connectionId}`);
    const deletion = requestMessage(0);
    await deletion.waitFor({ timeout: 15_000 });
    expect(
      await deletion.locator('button[data-action-id="approve_request"]').getAttribute('class'),
    ).toContain('danger');

    // Backing out of the dialog sends nothing: the request still waits.
    await become(LEAD);
    await deletion.locator('button[data-action-id="approve_request"]').click();
    await page.locator('#confirm.open').waitFor();
    expect(await page.textContent('#confirm-text')).toContain(`${connectionId} will be deleted`);
    await page.click('#confirm-no');
    await page.locator('#confirm').waitFor({ state: 'hidden' });
    expect(await requestMessage(0).textContent()).toContain('Waiting for approval');

    await approveDeletion(requestMessage(0));
    await channelMessage(`IPsec connection ${connectionId} is deleted`).waitFor({ timeout: 30_000 });
    await page
      .locator(`[data-testid="site-connection"][data-id="${connectionId}"]`)
      .waitFor({ state: 'detached' });

    await become(ENGINEER);
    await type(`/gateway delete ${gatewayId}`);
    await requestMessage(0).waitFor({ timeout: 15_000 });
    await become(LEAD);
    await approveDeletion(requestMessage(0));
    await channelMessage(`VPN gateway ${gatewayId} is deleted`).waitFor({ timeout: 30_000 });
    expect((await simulatorState()).vpnGateways.map((g) => g.VpnGatewayId)).not.toContain(gatewayId);

    await become(ENGINEER);
    await openThread(channelMessage(/asks for an IPsec connection/));
    await shootTall('playground-story.png');
    expect(failures).toEqual([]);
  }, 90_000);

  it('wrote no pre-shared key in its log', async () => {
    const keys = (await simulatorState()).vpnConnections.flatMap((c) => c.tunnels.map((t) => t.ike.Psk));
    // The connection is deleted, so its keys are read from the answer the page showed.
    const shown = await page
      .locator('[data-testid="ephemeral"]', { hasText: 'Pre-shared key of' })
      .textContent();
    const fromPage = [...(shown ?? '').matchAll(/\): (\S+)/g)].map((m) => m[1] ?? '');
    expect(fromPage.length).toBe(2);
    expect(rotatedKeys).toHaveLength(2);
    for (const key of [...keys, ...fromPage, ...rotatedKeys]) expect(bot.output()).not.toContain(key);
  });
});
