/** The API request log and the external id mapping of inbound integrations. */
export interface RequestLogTable {
  id: string;
  at: string;
  actor_kind: 'user' | 'token' | 'anonymous';
  actor_id: string | null;
  actor_name: string | null;
  method: string;
  path: string;
  route: string | null;
  status: number;
  duration_us: number;
  request_id: string;
  ip: string | null;
  user_agent: string | null;
  idempotency_key: string | null;
  request_body: string | null;
  response_body: string | null;
  truncated: number;
}

export interface ExternalRefsTable {
  /** The sending system, e.g. `crm`, `wms`, `erp`. */
  system: string;
  /** What the external id names, e.g. `salesorder`, `receipt`, `shipment`, `customer`. */
  kind: string;
  external_id: string;
  internal_id: string;
  /** SHA-256 of the canonical body last applied. */
  body_hash: string;
  /** JSON: what the first application returned, returned again for a repeat. */
  result: string;
  created_at: string;
  updated_at: string;
}
