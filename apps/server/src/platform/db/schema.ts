import type { Generated } from 'kysely';

/**
 * Table shapes shared by SQLite and PostgreSQL.
 * Conventions: ids are UUIDv7 text; timestamps are UTC ISO-8601 text with milliseconds (sortable as text);
 * booleans are 0/1 integers; quantities are integers × 1000 and money integer cents; JSON is text.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  leases: LeasesTable;
  items: ItemsTable;
}

export interface UsersTable {
  id: string;
  login: string;
  display_name: string;
  password_hash: string;
  roles: string;
  active: number;
  failed_logins: number;
  locked_until: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  entity_type: string;
  entity_id: string;
  action: string;
  diff: string;
  request_id: string | null;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  data: string;
  occurred_at: string;
  request_id: string | null;
  dispatched_at: string | null;
}

export interface JobsTable {
  id: string;
  queue: string;
  name: string;
  payload: string;
  status: 'ready' | 'running' | 'done' | 'dead';
  attempts: number;
  max_attempts: number;
  run_at: string;
  lease_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  unique_key: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface JobSchedulesTable {
  name: string;
  cron: string;
  job_name: string;
  payload: string;
  enabled: number;
  next_run_at: string;
  last_run_at: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface ItemsTable {
  id: string;
  code: string;
  name: string;
  spec: string;
  type: string;
  uom: string;
  safety_stock: number;
  standard_cost: number;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}
