/**
 * The reports' figures computed straight from history, without the daily read model: what other
 * modules (the daily reconciliation) compare the read model with.
 */
export {
  completedOrders,
  deliveredLines,
  plannedRunByMachineDay,
  reportedRunByMachineDay,
  scrapReasons,
} from './reports.repo.ts';
