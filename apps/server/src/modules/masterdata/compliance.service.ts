import type { CodeEntity, ComplianceReport } from '@takt/contracts';
import { normaliseCode, normaliseText } from '@takt/domain';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { offThread } from '../../platform/db/read-threads.ts';
import { nowIso } from '../../platform/ids.ts';
import { CODE_ENTITIES, loadRule } from './code-rule.service.ts';

/**
 * Checks stored master data against the current code rules: codes that no longer match (a rule was
 * tightened, data was imported), codes that are not in normal form, codes that collide once
 * normalised, and records that look like the same thing entered twice (same normalised name, and
 * for items the same specification).
 */
const HAS_NAME_KEY: ReadonlySet<CodeEntity> = new Set(['items', 'customers', 'suppliers']);

type Violation = ComplianceReport['violations'][number];
type Group = ComplianceReport['duplicateGroups'][number];

function groupsOf(
  entity: CodeEntity,
  kind: Group['kind'],
  rows: ReadonlyArray<{ key: string; code: string; id: string }>,
) {
  const by = new Map<string, { code: string; id: string }[]>();
  for (const r of rows) by.set(r.key, [...(by.get(r.key) ?? []), { code: r.code, id: r.id }]);
  const out: Group[] = [];
  for (const [key, members] of by) {
    if (members.length < 2) continue;
    const sorted = [...members].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    out.push({ entity, kind, key, codes: sorted.map((m) => m.code), ids: sorted.map((m) => m.id) });
  }
  return out;
}

export async function complianceReport(db: Db): Promise<ComplianceReport> {
  const violations: Violation[] = [];
  const duplicateGroups: Group[] = [];
  for (const entity of CODE_ENTITIES) {
    const loaded = await loadRule(db.kysely, entity);
    const keyColumn = HAS_NAME_KEY.has(entity) ? sql.ref('dup_key') : sql.lit('');
    const rows = (
      await sql<{
        id: string;
        code: string;
        dup_key: string;
        active: number;
      }>`select id, code, ${keyColumn} as dup_key, active from ${sql.table(entity)} order by code`.execute(
        db.kysely,
      )
    ).rows;
    for (const r of rows) {
      const checked = normaliseCode(r.code, loaded.rule);
      if (!checked.ok) {
        violations.push({
          entity,
          id: r.id,
          code: r.code,
          problem: 'pattern',
          message: `${checked.message}; for example ${loaded.dto.example}`,
        });
      } else if (checked.value !== r.code) {
        violations.push({
          entity,
          id: r.id,
          code: r.code,
          problem: 'not_normalised',
          message: `Code "${r.code}" should be written "${checked.value}"`,
        });
      }
    }
    const normal = (code: string) =>
      normaliseText(code, { upperCase: loaded.rule.upperCase, whitespace: 'remove' });
    duplicateGroups.push(
      ...groupsOf(
        entity,
        'code',
        rows.map((r) => ({ key: normal(r.code), code: r.code, id: r.id })),
      ),
    );
    if (HAS_NAME_KEY.has(entity)) {
      duplicateGroups.push(
        ...groupsOf(
          entity,
          'name',
          // a retired record (e.g. merged into another) is no longer a duplicate to act on
          rows.filter((r) => Number(r.active) === 1).map((r) => ({ key: r.dup_key, code: r.code, id: r.id })),
        ),
      );
    }
  }
  return { checkedAt: nowIso(), violations, duplicateGroups };
}

/** complianceReport on a read thread (read-threads.ts): it checks every code of every master-data table. */
export const complianceReportOffThread = offThread(import.meta.url, 'complianceReport', complianceReport);
