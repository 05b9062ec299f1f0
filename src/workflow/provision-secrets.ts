/**
 * Secret parameters (a pre-shared key) at the one call that needs them: opened from their sealed
 * form, checked against what the approval covered, and kept out of any error a cloud message
 * might echo them in.
 */
import { redactSecrets } from '../observability/redact.js';
import { paramsHash } from '../resources/index.js';
import { hashedAccount } from './accounts.js';
import type { SecretBox } from './secrets.js';
import type { RequestError, ResourceRequest } from './types.js';

/** Secret parameters in clear, for the one call that needs them; undefined when they cannot be opened. */
export function openSecrets(
  request: ResourceRequest,
  box: SecretBox | undefined,
): Record<string, string> | undefined {
  const sealed = request.secrets ?? {};
  if (Object.keys(sealed).length === 0) return {};
  if (!box) return undefined;
  try {
    return Object.fromEntries(
      Object.entries(sealed).map(([name, value]) => [name, box.open(request.id, name, value)]),
    );
  } catch {
    return undefined;
  }
}

/** The approval covered exactly these parameters (and secrets); anything else is refused. */
export function approvedAsStored(
  request: ResourceRequest,
  secrets: Record<string, string>,
  box: SecretBox | undefined,
): boolean {
  const digests = Object.fromEntries(
    Object.entries(secrets).map(([name, value]) => [name, box?.digest(name, value) ?? '']),
  );
  return (
    paramsHash(
      request.operation,
      request.resource,
      request.params,
      digests,
      hashedAccount(request.account),
    ) === request.paramsHash
  );
}

/** A request error with every given secret value taken out of its texts. */
export function withoutSecrets(error: RequestError, secrets: readonly string[]): RequestError {
  if (secrets.length === 0) return error;
  const clean = (t: RequestError['what']) => ({
    en: redactSecrets(t.en, secrets),
    'zh-CN': redactSecrets(t['zh-CN'], secrets),
  });
  return { ...error, what: clean(error.what), todo: clean(error.todo) };
}
