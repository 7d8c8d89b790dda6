import type { Db } from '../../platform/db/database.ts';
import type { OutboxDispatcher } from '../../platform/events/dispatcher.ts';
import type { JobWorker } from '../../platform/jobs/worker.ts';
import {
  alertSubscriber,
  DEFAULT_NOTIFY_OPTIONS,
  type NotifyOptions,
  notificationSendJob,
  notificationSummaryJob,
} from './notify.delivery.ts';

/** Alert channels: the `alert.raised` subscriber and the send and summary jobs. */
export function setupNotifications(
  db: Db,
  dispatcher: OutboxDispatcher,
  worker: JobWorker,
  options: Partial<NotifyOptions> = {},
): void {
  const opts = { ...DEFAULT_NOTIFY_OPTIONS, ...options };
  dispatcher.subscribe('alert-channels', 'alert.raised', alertSubscriber(db));
  worker.register('notification.send', notificationSendJob(db, opts));
  worker.register('notification.summary', notificationSummaryJob(db, opts));
}
