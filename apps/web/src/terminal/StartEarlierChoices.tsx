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
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * "Started earlier": 15, 30 or 60 minutes ago in one tap, or a time picked on the clock. The server
 * checks the time (not in the future, not before the release or the last event, not too far back).
 */
export function StartEarlierChoices({ onPick }: { onPick: (startedAt: string) => void }) {
  const t = useTerminalT();
  const [clock, setClock] = useState(() => clockOf(new Date(Date.now() - 30 * 60_000)));
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
      <label className="tk-start-clock">
        <span className="tk-caption">{t('op.startedAtClock')}</span>
        <input
          type="time"
          className="tk-input"
          data-testid="start-at-clock"
          value={clock}
          onChange={(e) => setClock(e.target.value)}
        />
      </label>
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
