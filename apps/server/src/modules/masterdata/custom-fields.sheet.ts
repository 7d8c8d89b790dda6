import type { CustomFieldEntity } from '@takt/contracts';
import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type CustomColumn, squash } from './custom-fields.cells.ts';
import * as repo from './custom-fields.repo.ts';

export * from './custom-fields.cells.ts';

type Q = Kysely<Database> | Tx;

/** The entity's active custom fields as columns, in display order. */
export async function customColumns(db: Q, entity: CustomFieldEntity): Promise<CustomColumn[]> {
  const defs = await repo.listDefs(db, { entity, active: true });
  return defs.map((d) => {
    const header = `${d.label_zh} ${d.label_en} [${d.key}]`;
    return {
      key: d.key,
      header,
      kind: d.kind,
      options: JSON.parse(d.options) as string[],
      required: d.required === 1,
      names: [
        header,
        d.key,
        `cf.${d.key}`,
        d.label_zh,
        d.label_en,
        `${d.label_zh}${d.label_en}`,
        `${d.label_en}${d.label_zh}`,
      ].map(squash),
    };
  });
}
