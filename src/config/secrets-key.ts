/**
 * `REQUEST_SECRETS_KEY`, the key that seals secret parameters at rest (workflow/secrets.ts), as
 * the environment gives it.
 */
/** 32 bytes, written as base64 (44 characters) or hex (64); undefined when it is neither. */
export function parseSecretsKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}
