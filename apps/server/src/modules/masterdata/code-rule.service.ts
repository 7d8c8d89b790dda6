import type { CodeEntity, CodeRule, CodeRuleUpdate } from '@takt/contracts';
import { compileCodeRule, DEFAULT_CODE_RULE, normaliseCode } from '@takt/domain';
import type { Kysely } from 'kysely';
import { cacheOf } from '../../platform/cache/cache.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { CodeRulesTable, Database } from '../../platform/db/schema.ts';
import { invalidField, isUniqueViolation } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { recordChange, staleVersion } from './mutation.ts';
import { applyRule, type LoadedRule } from './code-rule.apply.ts';

export { applyRule, type LoadedRule } from './code-rule.apply.ts';

type Q = Kysely<Database> | Tx;

/**
 * Codes are what people type, scan and print, so each entity's codes follow one rule set by an
 * administrator. Every code is normalised first (trim, full-width → half-width, upper-case unless
 * the rule says otherwise) and the stored, unique value is the normalised one.
 */
export const CODE_ENTITIES = ['items', 'customers', 'suppliers', 'warehouses', 'employees', 'tools'] as const;

const DEFAULT_EXAMPLES: Record<CodeEntity, string> = {
  items: 'FG-100100',
  customers: 'C-0001',
  suppliers: 'S-0001',
  warehouses: 'WH-RAW',
  employees: 'E-0001',
  tools: 'MD-0001',
};

function toDto(entity: CodeEntity, row: CodeRulesTable | undefined): CodeRule {
  if (!row) {
    return {
      entity,
      pattern: DEFAULT_CODE_RULE.pattern,
      description: DEFAULT_CODE_RULE.description,
      upperCase: DEFAULT_CODE_RULE.upperCase,
      example: DEFAULT_EXAMPLES[entity],
      version: 0,
      custom: false,
      updatedAt: null,
    };
  }
  return {
    entity,
    pattern: row.pattern,
    description: row.description,
    upperCase: row.upper_case === 1,
    example: row.example,
    version: row.version,
    custom: true,
    updatedAt: row.updated_at,
  };
}

function compile(dto: { pattern: string; description: string; upperCase: boolean }) {
  return compileCodeRule({ pattern: dto.pattern, description: dto.description, upperCase: dto.upperCase });
}

/** The entity's rule, compiled; kept in the master-data cache (shared, read-only) outside a transaction. */
export async function loadRule(db: Q, entity: CodeEntity): Promise<LoadedRule> {
  return cacheOf(db).get(
    db,
    'code_rules',
    entity,
    async (): Promise<LoadedRule> => {
      const row = await db
        .selectFrom('code_rules')
        .selectAll()
        .where('entity', '=', entity)
        .executeTakeFirst();
      const dto = Object.freeze(toDto(entity, row));
      const compiled = compile(dto);
      // A stored rule was compiled when it was saved; fall back to the default only if that ever changes.
      return { dto, rule: compiled.ok ? Object.freeze(compiled.value) : DEFAULT_CODE_RULE };
    },
    { frozen: true },
  );
}

export async function listRules(db: Db): Promise<CodeRule[]> {
  const rows = await db.kysely.selectFrom('code_rules').selectAll().execute();
  return CODE_ENTITIES.map((e) =>
    toDto(
      e,
      rows.find((r) => r.entity === e),
    ),
  );
}

/** Loads the entity's rule and applies it: the code to store. */
export async function checkCode(db: Q, entity: CodeEntity, input: string, field = '/code'): Promise<string> {
  return applyRule(await loadRule(db, entity), input, field);
}

export async function putRule(
  db: Db,
  ctx: Ctx,
  entity: CodeEntity,
  input: CodeRuleUpdate,
): Promise<CodeRule> {
  const draft = {
    pattern: input.pattern.trim(),
    description: (input.description ?? '').trim(),
    upperCase: input.upperCase ?? true,
  };
  const compiled = compile(draft);
  if (!compiled.ok) throw invalidField('/pattern', compiled.message, compiled.code);
  const example = normaliseCode(input.example, compiled.value);
  if (!example.ok) {
    throw invalidField(
      '/example',
      `The example does not follow the rule itself: ${example.message}`,
      example.code,
    );
  }
  const now = nowIso();
  try {
    return await db.transaction(async (tx) => {
      const before = await tx
        .selectFrom('code_rules')
        .selectAll()
        .where('entity', '=', entity)
        .executeTakeFirst();
      const current = before?.version ?? 0;
      if (current !== input.version) throw staleVersion('Code rule for', entity, current);
      const row: CodeRulesTable = {
        entity,
        pattern: draft.pattern,
        description: draft.description,
        upper_case: draft.upperCase ? 1 : 0,
        example: example.value,
        version: current + 1,
        updated_at: now,
      };
      if (before) {
        const updated = await tx
          .updateTable('code_rules')
          .set(row)
          .where('entity', '=', entity)
          .where('version', '=', current)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw staleVersion('Code rule for', entity, current + 1);
      } else {
        await tx.insertInto('code_rules').values(row).execute();
      }
      cacheOf(tx).invalidate(tx, 'code_rules', entity);
      const dto = toDto(entity, row);
      await recordChange(tx, ctx, {
        entity: 'code_rule',
        id: entity,
        action: before ? 'update' : 'create',
        before: before ?? null,
        after: row,
        data: dto,
      });
      return dto;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw staleVersion('Code rule for', entity, 1);
    throw err;
  }
}
