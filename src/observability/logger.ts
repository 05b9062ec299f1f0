/**
 * Structured logs: one JSON line per meaningful event (pino), or a short human line in
 * development. Secrets are removed twice from the final line: the value of every secret-named
 * field, and every configured secret value wherever it is, so a secret that slipped into a message
 * or an error text still never reaches the output.
 */
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';
import { batchedOutput } from './batched-output.js';
import { redactSecretFields, redactSecrets } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  format?: 'json' | 'pretty';
  /** Secret values (tokens, signing secret, access key secret, STS token) to scrub from every line. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go, each written at once. @defaultValue stdout, in batches (batched-output.ts) */
  destination?: DestinationStream | NodeJS.WritableStream;
  name?: string;
}

function prettyLine(json: string): string {
  try {
    const {
      time,
      level,
      msg,
      name: _n,
      pid: _p,
      hostname: _h,
      ...rest
    } = JSON.parse(json) as Record<string, unknown>;
    const label = pino.levels.labels[Number(level)] ?? String(level);
    const fields = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const at = new Date(Number(time)).toISOString().slice(11, 23);
    return `${at} ${label.toUpperCase().padEnd(5)} ${String(msg ?? '')}${fields ? `  ${fields}` : ''}\n`;
  } catch {
    return json;
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const target = options.destination ?? process.stdout;
  // Someone reading pretty lines as they happen sees each at once; JSON for a log shipper is batched.
  const destination: DestinationStream =
    options.format === 'pretty'
      ? new Writable({
          write(chunk, _encoding, done) {
            (target as NodeJS.WritableStream).write(prettyLine(String(chunk)));
            done();
          },
        })
      : ((options.destination as DestinationStream | undefined) ?? batchedOutput(process.stdout));
  return pino(
    {
      name: options.name ?? 'gateway-bot',
      level: options.level ?? 'info',
      // Every line goes through the one redaction every output uses, and loses secret-named fields.
      hooks: { streamWrite: (line) => redactSecrets(redactSecretFields(line), secrets) },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
