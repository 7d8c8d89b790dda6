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
}
