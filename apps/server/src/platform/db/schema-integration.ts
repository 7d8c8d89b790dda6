export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  state: 'in_flight' | 'done';
  locked_until: string;
  response_status: number | null;
  response_type: string | null;
  response_location: string | null;
  response_body: string | null;
  created_at: string;
  /** When the request holding the key committed a transaction (written inside that transaction). */
  committed_at: string | null;
}
