import type { EmailSettings } from '@takt/contracts';
import nodemailer from 'nodemailer';
import type { AlertChannelsTable } from '../../platform/db/schema-hub.ts';
import type { Message } from './channel.format.ts';

const MARK: Record<string, string> = { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' };

/** The settings stored with an email channel, or null when there are none (not an email channel). */
export function emailSettings(row: Pick<AlertChannelsTable, 'config'>): EmailSettings | null {
  if (!row.config) return null;
  return JSON.parse(row.config) as EmailSettings;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Subject, plain text and HTML of the email for one alert (or summary, or test message). */
export function emailContent(m: Message): { subject: string; text: string; html: string } {
  const subject = `[Takt ${MARK[m.severity] ?? m.severity}] ${m.title}`.replace(/[\r\n]+/g, ' ');
  const meta = `${m.severity} · ${m.kind}`;
  const text = [m.title, meta, ...(m.body ? ['', m.body] : [])].join('\n');
  const html = [
    `<h3 style="margin:0 0 4px">${escapeHtml(m.title)}</h3>`,
    `<p style="margin:0 0 12px;color:#666">${escapeHtml(meta)}</p>`,
    ...(m.body ? [`<p style="white-space:pre-wrap">${escapeHtml(m.body)}</p>`] : []),
  ].join('\n');
  return { subject, text, html };
}

/**
 * Sends one message through the channel's SMTP server: the error text, or null when the server
 * accepted it for every recipient. `tls` connects with TLS; `starttls` refuses a server that cannot
 * upgrade; `none` sends in the clear (a relay on the local network).
 */
export async function sendEmail(
  channel: Pick<AlertChannelsTable, 'config' | 'secret'>,
  m: Message,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<string | null> {
  const settings = emailSettings(channel);
  if (!settings) return 'email channel has no SMTP settings';
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.user ? { auth: { user: settings.user, pass: channel.secret ?? '' } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  const abort = () => transport.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const content = emailContent(m);
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      ...content,
      headers: { 'X-Takt-Alert-Kind': m.kind, 'X-Takt-Severity': m.severity },
    });
    if (info.rejected.length > 0)
      return `SMTP server refused ${info.rejected.map((r) => (typeof r === 'string' ? r : (r as { address: string }).address)).join(', ')}`;
    return null;
  } catch (err) {
    return err instanceof Error ? `SMTP: ${err.message}` : String(err);
  } finally {
    options.signal?.removeEventListener('abort', abort);
    transport.close();
  }
}
