import type { Interval } from '@takt/contracts';
import { Flex, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.ts';

const DAY = 24 * 3600 * 1000;

/** Midnight today in the browser's time zone. */
export function startOfToday(): Date {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}

/**
 * Available intervals drawn as bars, one row per day from `from` for `days` days, with hour marks.
 * Times are shown in the browser's time zone.
 */
export function AvailabilityTimeline({
  from,
  days,
  intervals,
}: {
  from: Date;
  days: number;
  intervals: Interval[];
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const dayLabel = new Intl.DateTimeFormat(format.lang, {
    weekday: 'short',
    month: 'numeric',
    day: 'numeric',
  });
  const hm = new Intl.DateTimeFormat(format.lang, { hour: '2-digit', minute: '2-digit', hour12: false });
  const rows = Array.from({ length: days }, (_, i) => {
    const start = new Date(from);
    start.setDate(start.getDate() + i);
    const end = new Date(start);
    end.setDate(end.getDate() + 1);
    const span = end.getTime() - start.getTime() || DAY;
    const segments = intervals
      .map((iv) => ({
        s: Math.max(Date.parse(iv.start), start.getTime()),
        e: Math.min(Date.parse(iv.end), end.getTime()),
      }))
      .filter((x) => x.e > x.s);
    const minutes = segments.reduce((sum, x) => sum + (x.e - x.s) / 60000, 0);
    return { start, span, segments, minutes };
  });
  return (
    <div className="takt-timeline" role="img" aria-label={t('machines.availability')}>
      <div className="takt-timeline-row takt-timeline-scale" aria-hidden>
        <span className="takt-timeline-label" />
        <div className="takt-timeline-track takt-timeline-track-plain">
          {[0, 6, 12, 18].map((h) => (
            <span key={h} className="takt-timeline-hour" style={{ left: `${(h / 24) * 100}%` }}>
              {String(h).padStart(2, '0')}
            </span>
          ))}
        </div>
        <span className="takt-timeline-total" />
      </div>
      {rows.map((row) => (
        <div key={row.start.toISOString()} className="takt-timeline-row">
          <span className="takt-timeline-label">{dayLabel.format(row.start)}</span>
          <div className="takt-timeline-track">
            {row.segments.map((x) => (
              <Tooltip key={x.s} title={`${hm.format(x.s)} – ${hm.format(x.e)}`}>
                <span
                  className="takt-timeline-bar"
                  style={{
                    left: `${((x.s - row.start.getTime()) / row.span) * 100}%`,
                    width: `${((x.e - x.s) / row.span) * 100}%`,
                  }}
                />
              </Tooltip>
            ))}
          </div>
          <Typography.Text type="secondary" className="takt-timeline-total takt-num">
            {t('machines.hours', { n: Math.round((row.minutes / 60) * 10) / 10 })}
          </Typography.Text>
        </div>
      ))}
      {intervals.length === 0 ? (
        <Flex justify="center">
          <Typography.Text type="secondary">{t('machines.noAvailability')}</Typography.Text>
        </Flex>
      ) : null}
    </div>
  );
}
