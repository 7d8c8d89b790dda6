import type { ColumnType, Generated } from 'kysely';
import type { PieceRatesTable, PointsRulesTable } from './schema-pay.ts';
import type { ArchiveTables } from './schema-archive.ts';
import type { CustomFieldDefsTable } from './schema-custom-fields.ts';
import type { FloorExceptionsTable } from './schema-exceptions.ts';
import type * as Q from './schema-quality.ts';
import type { IdempotencyKeysTable } from './schema-integration.ts';
import type { ExternalRefsTable, RequestLogTable } from './schema-request-log.ts';
import type * as H from './schema-hub.ts';
import type { AlertsTable, DispatchTargetsTable, OperationReportsTable } from './schema-shopfloor.ts';
import type {
  WorkOrderHistoryTable,
  WorkOrderMaterialsTable,
  WorkOrderOperationsTable,
  WorkOrdersTable,
} from './schema-production.ts';
import type {
  LotLinksTable,
  LotsTable,
  ReservationsTable,
  StockBalancesTable,
  StockMovesTable,
} from './schema-inventory.ts';
import type * as P from './schema-purchasing.ts';
import type * as S from './schema-scheduling.ts';
import type {
  SalesOrderLinesTable,
  SalesOrdersTable,
  SequencesTable,
  ShipmentLinesTable,
  ShipmentsTable,
} from './schema-sales.ts';

/**
 * Table shapes shared by SQLite and PostgreSQL.
 * Conventions: ids are UUIDv7 text; timestamps are UTC ISO-8601 text with milliseconds (sortable as text);
 * booleans are 0/1 integers; quantities are integers × 1000 and money integer cents; JSON is text.
 */
export interface Database extends ArchiveTables {
  schedule_runs: S.ScheduleRunsTable;
  schedule_assignments: S.ScheduleAssignmentsTable;
  schedule_pins: S.SchedulePinsTable;
  schedule_settings: S.ScheduleSettingsTable;
  piece_rates: PieceRatesTable;
  points_rules: PointsRulesTable;
  floor_exceptions: FloorExceptionsTable;
  inspections: Q.InspectionsTable;
  inspection_characteristics: Q.InspectionCharacteristicsTable;
  operation_report_lots: Q.OperationReportLotsTable;
  idempotency_keys: IdempotencyKeysTable;
  request_log: RequestLogTable;
  external_refs: ExternalRefsTable;
  dispatch_targets: DispatchTargetsTable;
  operation_reports: OperationReportsTable;
  alerts: AlertsTable;
  work_orders: WorkOrdersTable;
  work_order_materials: WorkOrderMaterialsTable;
  work_order_operations: WorkOrderOperationsTable;
  work_order_history: WorkOrderHistoryTable;
  lots: LotsTable;
  lot_links: LotLinksTable;
  stock_moves: StockMovesTable;
  stock_balances: StockBalancesTable;
  reservations: ReservationsTable;
  purchasing_settings: P.PurchasingSettingsTable;
  purchase_orders: P.PurchaseOrdersTable;
  purchase_order_lines: P.PurchaseOrderLinesTable;
  purchase_receipts: P.PurchaseReceiptsTable;
  mrp_runs: P.MrpRunsTable;
  mrp_planned_orders: P.MrpPlannedOrdersTable;
  mrp_shortages: P.MrpShortagesTable;
  mrp_actions: P.MrpActionsTable;
  mrp_demands: P.MrpDemandsTable;
  sales_orders: SalesOrdersTable;
  sales_order_lines: SalesOrderLinesTable;
  shipments: ShipmentsTable;
  shipment_lines: ShipmentLinesTable;
  sequences: SequencesTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  jobs: JobsTable;
  imports: ImportsTable;
  job_schedules: JobSchedulesTable;
  leases: LeasesTable;
  items: ItemsTable;
  item_uom_conversions: ItemUomConversionsTable;
  code_rules: CodeRulesTable;
  custom_field_defs: CustomFieldDefsTable;
  customers: CustomersTable;
  suppliers: SuppliersTable;
  supplier_items: SupplierItemsTable;
  warehouses: WarehousesTable;
  locations: LocationsTable;
  employees: EmployeesTable;
  employee_skills: EmployeeSkillsTable;
  tools: ToolsTable;
  tool_items: ToolItemsTable;
  tool_machines: ToolMachinesTable;
  calendars: CalendarsTable;
  work_centers: WorkCentersTable;
  machines: MachinesTable;
  machine_downtimes: MachineDowntimesTable;
  boms: BomsTable;
  bom_lines: BomLinesTable;
  routings: RoutingsTable;
  routing_operations: RoutingOperationsTable;
  routing_alternatives: RoutingAlternativesTable;
  teams: TeamsTable;
  roles: RolesTable;
  api_tokens: ApiTokensTable;
  identity_settings: IdentitySettingsTable;
  webhook_subscriptions: H.WebhookSubscriptionsTable;
  webhook_deliveries: H.WebhookDeliveriesTable;
  webhook_attempts: H.WebhookAttemptsTable;
  processed_messages: H.ProcessedMessagesTable;
  integration_state: H.IntegrationStateTable;
  reconciliation_runs: H.ReconciliationRunsTable;
  reconciliation_findings: H.ReconciliationFindingsTable;
  alert_channels: H.AlertChannelsTable;
  alert_rules: H.AlertRulesTable;
  notifications: H.NotificationsTable;
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
  email: string | null;
  phone: string | null;
  team_id: string | null;
  must_change_password: number;
  /** Base32; set while enrolling, effective once totp_enabled = 1. */
  totp_secret: string | null;
  totp_enabled: number;
  /** The last accepted time step, so a code cannot be replayed. */
  totp_last_step: number | null;
  badge: string | null;
  pin_hash: string | null;
  badge_failed: number;
  badge_locked_until: string | null;
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
  kind: 'browser' | 'terminal';
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
  /** none | lot | serial */
  tracking: string;
  default_warehouse_id: string | null;
  purchase_lead_days: number;
  production_lead_days: number;
  /** Quantities × 1000; 0 means no minimum / no multiple. */
  min_order_qty: number;
  order_multiple: number;
  /** nearDuplicateKey(name, spec), for "a similar item exists" warnings. */
  dup_key: string;
  /** JSON object of custom field values by key (migration 0019). */
  custom_fields?: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Master data (migration 0004). */
export interface ItemUomConversionsTable {
  id: string;
  item_id: string;
  from_uom: string;
  to_uom: string;
  /** One from_uom is factor_num / factor_den to_uom, exactly. */
  factor_num: number;
  factor_den: number;
}

export interface CodeRulesTable {
  /** items | customers | suppliers | warehouses | employees | tools */
  entity: string;
  pattern: string;
  description: string;
  upper_case: number;
  example: string;
  version: number;
  updated_at: string;
}

interface PartyColumns {
  id: string;
  code: string;
  name: string;
  dup_key: string;
  /** JSON array of { name, phone, email }. */
  contacts: string;
  address: string;
  /** JSON object of custom field values by key (migration 0019). */
  custom_fields?: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CustomersTable extends PartyColumns {
  /** A | B | C: priority in planning. */
  tier: string;
}

export interface SuppliersTable extends PartyColumns {
  lead_days: number;
}

export interface SupplierItemsTable {
  id: string;
  supplier_id: string;
  item_id: string;
  supplier_part_no: string;
  /** Cents. */
  price: number;
  currency: string;
  lead_days: number | null;
  /** Quantity × 1000. */
  moq: number;
}

export interface WarehousesTable {
  id: string;
  code: string;
  name: string;
  address: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface LocationsTable {
  id: string;
  warehouse_id: string;
  code: string;
  name: string;
  /** storage | line_side | receiving | shipping | quarantine */
  kind: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EmployeesTable {
  id: string;
  code: string;
  name: string;
  team: string;
  shift: string;
  badge_code: string | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EmployeeSkillsTable {
  employee_id: string;
  skill_code: string;
  level: number;
}

export interface ToolsTable {
  id: string;
  code: string;
  name: string;
  /** tool | mold | fixture */
  kind: string;
  qty_available: number;
  setup_family: string;
  usage_count: number;
  usage_limit: number | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ToolItemsTable {
  tool_id: string;
  item_id: string;
}

export interface ToolMachinesTable {
  tool_id: string;
  machine_code: string;
}

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** Custom roles; the built-in ones live in code (platform/auth/roles.ts). */
export interface RolesTable {
  id: string;
  name: string;
  description: string;
  /** JSON array of `module:action`. */
  permissions: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  /** The first characters of the token, shown in lists so people can tell tokens apart. */
  prefix: string;
  /** SHA-256 of the whole token (high entropy, so no slow hash is needed). */
  token_hash: string;
  /** JSON array of permissions; effective rights are these ∩ the creator's current ones. */
  scopes: string;
  rate_limit: number;
  created_by: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  version: number;
}

export interface IdentitySettingsTable {
  key: string;
  /** JSON. */
  value: string;
  version: number;
  updated_at: string;
}

/** Weekly shifts and date exceptions are JSON text (see modules/calendars/calendar.rules.ts). */
export interface CalendarsTable {
  id: string;
  code: string;
  name: string;
  time_zone: string;
  weekly_shifts: string;
  exceptions: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkCentersTable {
  id: string;
  code: string;
  name: string;
  kind: string;
  calendar_id: string | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MachinesTable {
  id: string;
  code: string;
  name: string;
  work_center_id: string;
  capacity: number;
  efficiency_bp: number;
  hourly_cost: number;
  status: 'up' | 'down' | 'maintenance';
  calendar_id: string | null;
  /** JSON object of custom field values by key (migration 0019). */
  custom_fields?: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MachineDowntimesTable {
  id: string;
  machine_id: string;
  start_at: string;
  end_at: string;
  reason: string;
  created_at: string;
}

/** BOM and routing headers share a shape: one version per row, at most one active per item. */
export interface VersionedHeaderTable {
  id: string;
  item_id: string;
  item_code: string;
  version_label: string;
  effective_from: string | null;
  effective_to: string | null;
  status: 'draft' | 'active' | 'archived';
  version: number;
  created_at: string;
  updated_at: string;
}
export type BomsTable = VersionedHeaderTable;
export type RoutingsTable = VersionedHeaderTable;

export interface BomLinesTable {
  id: string;
  bom_id: string;
  position: number;
  component_item_id: string;
  component_code: string;
  qty_per: number;
  scrap_bp: number;
  operation_seq: number | null;
}

/** Run time per unit in thousandths of a minute (`run_mmin`), so 0.125 min per piece stays exact. */
export interface RoutingOperationsTable {
  id: string;
  routing_id: string;
  seq: number;
  name: string;
  work_center_id: string;
  setup_minutes: number;
  run_mmin: number;
  transfer_batch: number | null;
  skill_code: string | null;
  skill_level: number | null;
  tool_code: string | null;
  wait_minutes: number;
  overlap: number;
  inspection: number;
  predecessors: string;
  /** Link to the work instructions; optional on insert. */
  instructions_url: ColumnType<string | null, string | null | undefined, string | null>;
  drawing_url: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RoutingAlternativesTable {
  id: string;
  operation_id: string;
  machine_id: string;
  setup_minutes: number | null;
  run_mmin: number;
  priority: number;
}

export interface ImportsTable {
  id: string;
  entity: string;
  mode: string;
  dry_run: number;
  status: string;
  rows: number;
  inserted: number;
  updated: number;
  error_count: number;
  /** JSON array of { row, column, value, message }, at most 100,000. */
  errors: string;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
}
