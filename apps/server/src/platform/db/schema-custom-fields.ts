/** Custom field definitions (migration 0019); values are JSON text in each entity's `custom_fields`. */
export interface CustomFieldDefsTable {
  id: string;
  /** items | customers | suppliers | machines | work_orders */
  entity: string;
  key: string;
  /** text | number | date | choice */
  kind: string;
  label_zh: string;
  label_en: string;
  required: number;
  /** JSON array of the allowed values of a choice field. */
  options: string;
  position: number;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}
