/**
 * Which keys name secrets: one rule for the audit trail (field diffs), the request log (bodies and
 * query strings) and the process log. A key is cut into words (snake, kebab and camel case); it names
 * a secret when one of its words does (`password_hash`, `newPin`, `x-csrf-token`, `set-cookie`), or
 * two neighbouring words do (`apiKey`, `private_key`, `totpCode`). Words, not substrings, so
 * `shipping`, `passes`, `opinion`, `spotPrice` or `totp_enabled` stay readable.
 */
const SECRET_WORDS = new Set([
  'pass',
  'password',
  'passwd',
  'passphrase',
  'pin',
  'pincode',
  'newpin',
  'secret',
  'secrets',
  'token',
  'tokens',
  'hash',
  'authorization',
  'cookie',
  'cookies',
  'csrf',
  'otp',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
]);
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'totp code',
  'otp code',
  'mfa code',
  'recovery code',
]);
/** Alone, these name a secret too (a bare `totp` field holds a code; `totp_enabled` does not). */
const SECRET_ALONE = new Set(['totp', 'mfa']);

export const REDACTED = '[redacted]';

function wordsOf(key: string): string[] {
  return key
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function judge(key: string): boolean {
  const words = wordsOf(key);
  if (words.length === 1 && SECRET_ALONE.has(words[0]!)) return true;
  for (let i = 0; i < words.length; i++) {
    if (SECRET_WORDS.has(words[i]!)) return true;
    if (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${words[i]}`)) return true;
  }
  return false;
}

/** Keys are a small vocabulary met again and again (log lines, bodies): each is judged once. */
const judged = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let secret = judged.get(key);
  if (secret === undefined) {
    secret = judge(key);
    if (judged.size >= 10_000) judged.clear();
    judged.set(key, secret);
  }
  return secret;
}

/** A key whose last word is `code`: a one-time code where the context says so (sign-in, TOTP). */
export function isCodeKey(key: string): boolean {
  return /code$/i.test(key);
}

/** A JSON value with every secret field replaced by REDACTED, at any depth (a copy). */
export function redactJson(value: unknown, codeIsSecret = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redactJson(v, codeIsSecret));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) || (codeIsSecret && isCodeKey(k)) ? REDACTED : redactJson(v, codeIsSecret);
  }
  return out;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A log line's object with secret fields replaced, copied only where something is replaced. Only plain
 * objects and arrays are entered: errors, dates and buffers go to their serializers as they are.
 */
export function redactLogObject<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = redactLogObject(value[i], depth + 1);
      if (v === value[i]) continue;
      copy ??= value.slice();
      copy[i] = v;
    }
    return (copy ?? value) as T;
  }
  if (!isPlain(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    const next = isSecretKey(k) ? REDACTED : redactLogObject(v, depth + 1);
    if (next === v) continue;
    copy ??= { ...(value as Record<string, unknown>) };
    copy[k] = next;
  }
  return (copy ?? value) as T;
}
