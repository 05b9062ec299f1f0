/**
 * The one way secrets are taken out of a text before it reaches a log line, an error or a Slack
 * message: every given secret replaced, the query string of any URL dropped (a signed GET carries
 * its signature and STS token there), and `Signature=`, `SecurityToken=`, `AccessKeySecret=`,
 * `AccessKeyId=` values cut wherever they appear.
 */
export function redactSecrets(input: string, secrets: readonly (string | undefined)[] = []): string {
  let out = input;
  // Shorter strings would match by chance in ordinary text.
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  out = out.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?[REDACTED]');
  return out.replace(/\b(Signature|SecurityToken|AccessKeySecret|AccessKeyId)=[^&\s"']*/g, '$1=[REDACTED]');
}

/** Fields whose value is a secret whatever it is, named as the bot's objects and HTTP headers name them. */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'accessKeySecret',
  'securityToken',
  'password',
  'authorization',
  'x-slack-signature',
];
/**
 * `"field":value` in a JSON line, the value a string (escapes included), a number or a literal. An
 * object under such a name keeps its shape; its own fields are checked like any others.
 */
const SECRET_FIELD = new RegExp(
  `"(${SECRET_FIELDS.join('|')})":("(?:[^"\\\\]|\\\\.)*"|[-\\d.eE+]+|true|false|null)`,
  'gi',
);

/**
 * A JSON log line with the value of every secret-named field censored, at any depth: what a log
 * line carries in such a field (another service's password, a header) need not be a configured
 * secret for `redactSecrets` to know. One pass over the finished line, where a per-path redaction
 * of the object before it is written cost more than the rest of a busy line's logging.
 */
export function redactSecretFields(line: string): string {
  return line.replace(SECRET_FIELD, '"$1":"[REDACTED]"');
}
