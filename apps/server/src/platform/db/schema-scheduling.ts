/** Scheduling runs, their proposed assignments, planner pins and settings (migration 0015). */
export interface ScheduleRunsTable {
  id: string;
  /** solve | repair */
  kind: string;
  /** queued | running | done | failed */
  status: string;
  /** manual | event */
  trigger: string;
  /** Horizon origin (minute 0 of the engine), UTC ISO. */
  origin: string;
  seed: number;
  time_limit_ms: number | null;
  max_iterations: number | null;
  progress: number;
  base_run_id: string | null;
  repair_key: string | null;
  kpis: string;
  conflicts: string;
  moved: string;
  problem: string | null;
  schedule: string | null;
  note: string | null;
  error: string | null;
  elapsed_ms: number | null;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  published_at: string | null;
  published_by: string | null;
}

export interface ScheduleAssignmentsTable {
  run_id: string;
  operation_id: string;
  machine_id: string;
  start_at: string;
  end_at: string;
  setup_minutes: number;
  /** frozen | pinned | null */
  locked: string | null;
}

export interface SchedulePinsTable {
  operation_id: string;
  machine_id: string;
  start_at: string;
  pinned_by: string | null;
  created_at: string;
}

export interface ScheduleSettingsTable {
  id: number;
  frozen_horizon_minutes: number;
  dispatch_within_hours: number;
  version: number;
  updated_at: string;
}
