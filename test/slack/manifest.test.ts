import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helpAnswer } from '../../src/slack/commands.js';
import { HOME_EVENTS } from '../../src/slack/listeners/home.js';
import { USERGROUP_EVENTS } from '../../src/slack/listeners/usergroups.js';

const SCHEMA = path.resolve(process.cwd(), '../shared/specs/slack-manifest/manifest.schema.1.0.0.json');
const schemaPresent = existsSync(SCHEMA);
if (!schemaPresent) console.warn(`manifest tests skipped: Slack's schema is not at ${SCHEMA}`);

const manifest = parse(readFileSync(path.resolve(process.cwd(), 'manifest.yml'), 'utf8')) as {
  features: {
    slash_commands: { command: string; url: string; usage_hint: string }[];
    app_home: { home_tab_enabled: boolean };
  };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: Record<string, unknown>;
    event_subscriptions: { request_url: string; bot_events: string[] };
  };
  oauth_config: { scopes: { bot: string[] } };
};

function validator() {
  // Slack's schema uses a non-standard `regex` keyword; Ajv must run non-strict and know it.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
}

describe('manifest.yml', () => {
  it.skipIf(!schemaPresent)('validates against Slack manifest schema 1.0.0, in HTTP and Socket Mode', () => {
    const validate = validator();
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    const socket = { ...manifest, settings: { ...manifest.settings, socket_mode_enabled: true } };
    expect(validate(socket), JSON.stringify(validate.errors)).toBe(true);
  });

  it.skipIf(!schemaPresent)('is refused by the schema when broken, so the check can fail', () => {
    const validate = validator();
    const broken = { ...manifest, display_information: { name: '' }, settings: { bogus: true } };
    expect(validate(broken)).toBe(false);
    const badEvents = {
      ...manifest,
      settings: {
        ...manifest.settings,
        event_subscriptions: { request_url: 'bot.example.com/slack/events', bot_events: ['subteam_updated'] },
      },
    };
    expect(validate(badEvents)).toBe(false);
  });

  it('declares /gateway, routes every Slack request to /slack/events, and asks only for the scopes used', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/gateway']);
    expect(manifest.features.slash_commands[0]?.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity).toMatchObject({
      is_enabled: true,
      request_url: expect.stringMatching(/\/slack\/events$/),
      message_menu_options_url: expect.stringMatching(/\/slack\/events$/),
    });
    // The events the bot listens to, and no other: Slack sends nothing else to the Request URL.
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      [...USERGROUP_EVENTS, ...HOME_EVENTS].sort(),
    );
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        'channels:history',
        'channels:read',
        'chat:write',
        'commands',
        'groups:history',
        'groups:read',
        'im:write',
        'usergroups:read',
        'users:read',
      ].sort(),
    );
  });

  it('names every subcommand /gateway help lists in its usage hint', () => {
    const help = helpAnswer('/gateway', 'en', false).text;
    const subcommands = [...help.matchAll(/`\/gateway ([\w-]+)/g)].map((m) => m[1]);
    expect(subcommands.length).toBeGreaterThan(5);
    const hinted = (manifest.features.slash_commands[0]?.usage_hint ?? '')
      .split('|')
      .map((w) => w.trim().split(' ')[0]);
    expect(hinted).toEqual(subcommands);
  });
});
