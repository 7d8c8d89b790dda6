import { createHmac } from 'node:crypto';

/** What a channel is told: one alert (or a summary or test message). */
export interface Message {
  readonly severity: string;
  readonly title: string;
  readonly body: string;
  readonly kind: string;
  /** The alert as JSON, sent as is to a generic webhook channel. */
  readonly payload: string | null;
}

export interface ChannelTarget {
  readonly kind: string;
  readonly url: string;
  readonly secret: string | null;
}

export interface OutboundRequest {
  readonly url: string;
  readonly body: string;
}

const MARK: Record<string, string> = { critical: '🔴', warning: '🟠', info: '🔵' };

function markdown(m: Message): string {
  const head = `${MARK[m.severity] ?? ''} **${m.title}**`.trim();
  const lines = [head, `> ${m.severity} · ${m.kind}`];
  if (m.body) lines.push('', m.body);
  return lines.join('\n');
}

/** DingTalk robot signature: HMAC-SHA256 of `timestamp\nsecret` keyed by the secret, base64. */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu / Lark robot signature: HMAC-SHA256 keyed by `timestamp\nsecret` over nothing, base64. */
export function feishuSign(timestampS: number, secret: string): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

/** The HTTP request a channel of each kind expects (always a JSON POST). */
export function buildRequest(ch: ChannelTarget, m: Message, now = Date.now()): OutboundRequest {
  switch (ch.kind) {
    case 'wecom':
      return {
        url: ch.url,
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown(m) } }),
      };
    case 'dingtalk': {
      let url = ch.url;
      if (ch.secret) {
        const sign = encodeURIComponent(dingtalkSign(now, ch.secret));
        url += `${url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${sign}`;
      }
      return {
        url,
        body: JSON.stringify({ msgtype: 'markdown', markdown: { title: m.title, text: markdown(m) } }),
      };
    }
    case 'feishu': {
      const text = `[${m.severity}] ${m.title}${m.body ? `\n${m.body}` : ''}`;
      const body: Record<string, unknown> = { msg_type: 'text', content: { text } };
      if (ch.secret) {
        const ts = Math.floor(now / 1000);
        body.timestamp = String(ts);
        body.sign = feishuSign(ts, ch.secret);
      }
      return { url: ch.url, body: JSON.stringify(body) };
    }
    default:
      return {
        url: ch.url,
        body:
          m.payload ?? JSON.stringify({ kind: m.kind, severity: m.severity, title: m.title, detail: m.body }),
      };
  }
}

/**
 * Chat robots answer 200 with an error code in the body (`errcode` for WeCom and DingTalk, `code` for
 * Feishu); a non-zero one is a failure too.
 */
export function robotError(kind: string, text: string): string | null {
  if (kind === 'webhook' || !text) return null;
  try {
    const json = JSON.parse(text) as { errcode?: number; errmsg?: string; code?: number; msg?: string };
    if (typeof json.errcode === 'number' && json.errcode !== 0)
      return `robot refused: ${json.errcode} ${json.errmsg ?? ''}`.trim();
    if (typeof json.code === 'number' && json.code !== 0)
      return `robot refused: ${json.code} ${json.msg ?? ''}`.trim();
  } catch {
    return null;
  }
  return null;
}
