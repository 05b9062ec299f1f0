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
