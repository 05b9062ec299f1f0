/**
 * Secret parameters (a BGP key; docs/architecture.md, "Secrets at rest"): sealed with AES-256-GCM
 * under a key from
 * `REQUEST_SECRETS_KEY`, bound to their request and parameter name (so a sealed value cannot be
 * moved to another request), and digested with an HMAC for the approval hash (so the hash covers
 * the secret without letting anyone who reads the hash test guesses against it). Two subkeys are
 * derived from the one configured key with HKDF, one per use.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export function generateSecretsKey(): Buffer {
  return randomBytes(32);
}

export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

export class SecretBox {
  private readonly sealKey: Buffer;
  private readonly digestKey: Buffer;
  private readonly rotateKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SecretsKeyError('the secrets key must be 32 bytes');
    this.sealKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'gateway-bot seal', 32));
    this.digestKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'gateway-bot digest', 32));
    this.rotateKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'gateway-bot rotate', 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>` (base64url), bound to the request and the parameter. */
  seal(requestId: string, name: string, value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(`${requestId}\0${name}`));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The value sealed for this request and parameter; throws when the key or the binding is wrong. */
  open(requestId: string, name: string, sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new SecretsKeyError(`the sealed ${name} is not in a known format`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${requestId}\0${name}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      // GCM says only "unable to authenticate": the key changed, or the value was tampered with.
      throw new SecretsKeyError(
        `the sealed ${name} cannot be opened: REQUEST_SECRETS_KEY differs from the one it was sealed with, or the record was altered`,
      );
    }
  }

  /** What the approval hash covers instead of the value itself. */
  digest(name: string, value: string): string {
    return createHmac('sha256', this.digestKey).update(`${name}\0${value}`).digest('hex');
  }

  /**
   * The new pre-shared key of one tunnel in a key rotation: the same for the same request and tunnel
   * (a call retried after a crash sends the very key it sent before, with the same ClientToken), and
   * never kept anywhere.
   */
  rotatedKey(requestId: string, tunnelId: string): string {
    return derivedKey(this.rotateKey, `rotate_key:${requestId}:${tunnelId}`);
  }
}

/**
 * The characters of a generated key: letters and digits, a part of what Alibaba accepts in a key
 * chosen so that no device's command line reads one as syntax (`?` is help on Cisco IOS, quotes
 * and `#` end strings or start comments in configuration files).
 */
export const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const KEY_LENGTH = 32;

/**
 * A key of KEY_LENGTH characters from HMAC-SHA256 blocks over the message and a counter: each
 * byte below the largest multiple of the alphabet's size picks one character, the others are
 * skipped, so every character is equally likely.
 */
export function derivedKey(secret: Buffer, message: string): string {
  const size = KEY_ALPHABET.length;
  const below = 256 - (256 % size);
  let key = '';
  for (let block = 0; key.length < KEY_LENGTH; block += 1) {
    const bytes = createHmac('sha256', secret).update(`${message}\0${block}`).digest();
    for (const byte of bytes) {
      if (byte >= below) continue;
      key += KEY_ALPHABET[byte % size];
      if (key.length === KEY_LENGTH) break;
    }
  }
  return key;
}
