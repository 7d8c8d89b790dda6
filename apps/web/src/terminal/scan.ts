export type Scanned =
  | { kind: 'operation'; id: string }
  | { kind: 'workOrder'; id: string }
  | { kind: 'code'; code: string };

/**
 * What a job-card barcode means: `OP:<id>` an operation, `WO:<id>` a work order, anything else a
 * work-order code. Scanners may add control characters or spaces around the text; they are dropped.
 */
export function parseScan(raw: string): Scanned | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: scanners send control characters
  const text = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (text === '') return null;
  const tagged = /^(OP|WO)[:：](.+)$/i.exec(text);
  if (tagged) {
    const id = tagged[2]!.trim();
    if (id === '') return null;
    return tagged[1]!.toUpperCase() === 'OP' ? { kind: 'operation', id } : { kind: 'workOrder', id };
  }
  return { kind: 'code', code: text };
}

/**
 * The lot code on a material lot label: the text itself, or `LOT:<code>` (labels that say what they
 * are). Control characters and spaces a scanner adds are dropped.
 */
export function parseLotLabel(raw: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: scanners send control characters
  const text = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const code = (/^LOT[:：](.+)$/i.exec(text)?.[1] ?? text).trim();
  return code === '' ? null : code;
}

/** A random UUID; `crypto.randomUUID` exists only on HTTPS or localhost, plant networks are often plain HTTP. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
