import { useState } from 'react';
import { useTerminalT } from './i18n.ts';

/** Quick choices for an operator who pressed "start" late, in minutes before now. */
export const START_EARLIER_MINUTES = [15, 30, 60] as const;

/**
 * The instant of a wall-clock time (HH:MM, the terminal's time zone) at or before `now`: today's,
 * or yesterday's when today's is still to come (a night shift that began before midnight).
 */
export function startTimeFromClock(hhmm: string, now: Date): Date | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const at = new Date(now);
  at.setHours(Number(m[1]), Number(m[2]), 0, 0);
  if (at.getTime() > now.getTime()) at.setDate(at.getDate() - 1);
  return at;
}

function clockOf(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}`;
}

const two = (n: number) => String(n).padStart(2, '0');
const HOURS = Array.from({ length: 24 }, (_, h) => two(h));
const MINUTES = Array.from({ length: 60 }, (_, m) => two(m));

/**
 * "Started earlier": 15, 30 or 60 minutes ago in one tap, or a time picked on the clock. The server
 * checks the time (not in the future, not before the release or the last event, not too far back).
 * The clock is two large selects, hour 00–23 and minute 00–59: always 24-hour, whatever the browser's
 * locale (a native time input shows "05:48 PM" in an en-US browser), and the tablet's own list picker
 * opens on a tap, big enough for gloves.
 */
export function StartEarlierChoices({ onPick }: { onPick: (startedAt: string) => void }) {
  const t = useTerminalT();
  const [clock, setClock] = useState(() => clockOf(new Date(Date.now() - 30 * 60_000)));
  const [hour, minute] = clock.split(':') as [string, string];
  const picked = startTimeFromClock(clock, new Date());
  return (
    <>
      <div className="tk-choice-grid">
        {START_EARLIER_MINUTES.map((minutes) => (
          <button
            key={minutes}
            type="button"
            className="tk-btn tk-choice"
            data-testid={`start-ago-${minutes}`}
            onClick={() => onPick(new Date(Date.now() - minutes * 60_000).toISOString())}
          >
            {t('op.minutesAgo', { minutes })}
          </button>
        ))}
      </div>
      <fieldset className="tk-start-clock" data-testid="start-at-clock" data-value={clock}>
        <legend className="tk-caption">{t('op.startedAtClock')}</legend>
        <div className="tk-clock">
          <select
            className="tk-input tk-clock-part"
            aria-label={t('op.hour')}
            data-testid="start-at-hour"
            value={hour}
            onChange={(e) => setClock(`${e.target.value}:${minute}`)}
          >
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
          <span className="tk-clock-colon" aria-hidden="true">
            :
          </span>
          <select
            className="tk-input tk-clock-part"
            aria-label={t('op.minute')}
            data-testid="start-at-minute"
            value={minute}
            onChange={(e) => setClock(`${hour}:${e.target.value}`)}
          >
            {MINUTES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <button
        type="button"
        className="tk-btn tk-btn-go tk-btn-block tk-choice"
        data-testid="start-at-confirm"
        disabled={!picked}
        onClick={() => picked && onPick(picked.toISOString())}
      >
        {t('op.startAt', { time: clock })}
      </button>
    </>
  );
}
