/**
 * `npm run audit`: prints the audit trail, the record that outlives Slack's message retention.
 *
 *   npm run audit -- <request-id | gateway-id>   the complete history of one request
 *   npm run audit -- --since 2h                  every event since a duration ago or an ISO time
 *   add --json for JSON lines instead of text
 *
 * Reads REDIS_URL and REDIS_PREFIX like the bot; changes nothing.
 */
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, parseDuration } from '../config/index.js';
import { RequestStore } from '../workflow/store.js';
import { formatAuditEvent, formatRequest, peopleOf } from './audit-format.js';
import { findRequest, unknownIdMessage } from './lookup.js';

function parseSince(text: string, now = Date.now()): number | undefined {
  const ago = parseDuration(text);
  if (ago !== undefined) return now - ago;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const sinceIndex = args.indexOf('--since');
  const usage =
    'usage: npm run audit -- <request-id | gateway-id> | --since <2h | 2026-11-22T10:00:00Z> [--json]';
  if (args.length === 0) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  const store = new RequestStore({ redis, prefix: config.redis.prefix });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (sinceIndex >= 0) {
      const since = parseSince(args[sinceIndex + 1] ?? '');
      if (since === undefined) {
        process.stderr.write(
          `--since needs a duration (2h, 30m) or a time (2026-11-22T10:00:00Z)\n${usage}\n`,
        );
        return 2;
      }
      for (const e of await store.auditSince(since, 100_000))
        out(json ? JSON.stringify(e) : formatAuditEvent(e, { withRequestId: true }));
      return 0;
    }
    const key = args[0] as string;
    const request = await findRequest(store, key);
    if (!request) {
      process.stderr.write(`${unknownIdMessage(key, config.redis.prefix)}\n`);
      return 1;
    }
    const trail = await store.auditTrail(request.id);
    if (json) {
      out(JSON.stringify({ request }));
      for (const e of trail) out(JSON.stringify(e));
    } else {
      out(formatRequest(request));
      out('');
      const people = peopleOf(request);
      for (const e of trail) out(formatAuditEvent(e, { people }));
    }
    return 0;
  } finally {
    redis.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `${err instanceof ConfigError ? err.message : `audit failed: ${(err as Error).message}`}\n`,
    );
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
