import type { Employee, EmployeeCreate, EmployeeListQuery, EmployeeUpdate, PageOf } from '@takt/contracts';
import { normaliseText } from '@takt/domain';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database, EmployeesTable } from '../../platform/db/schema.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { checkCode } from '../masterdata/code-rule.service.ts';
import { createRecord, deleteRecord, getRecord, type RecordSpec, updateRecord } from '../masterdata/crud.ts';
import { containsText, runPage } from '../masterdata/list.ts';
import { versionedRepo } from '../masterdata/versioned-table.ts';

/**
 * Employees (operators): team, shift, an optional badge code (unique; scanned at terminals) and
 * skills with levels 1–5 that scheduling matches against operations. Sign-in credentials live with
 * user accounts, not here.
 */
type Q = Kysely<Database> | Tx;
const repo = versionedRepo('employees');

async function skillsOf(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('employee_skills')
    .selectAll()
    .where('employee_id', 'in', ids)
    .orderBy('skill_code')
    .execute();
}

async function toEmployees(db: Q, rows: readonly EmployeesTable[]): Promise<Employee[]> {
  const skills = await skillsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    team: r.team,
    shift: r.shift,
    badgeCode: r.badge_code,
    skills: skills
      .filter((s) => s.employee_id === r.id)
      .map((s) => ({ skill: s.skill_code, level: s.level })),
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export const employeeSpec: RecordSpec<EmployeesTable, Employee> = {
  entity: 'employee',
  label: 'Employee',
  repo,
  async dto(db, row) {
    return (await toEmployees(db, [row]))[0]!;
  },
};

async function replaceSkills(tx: Tx, employeeId: string, skills: EmployeeCreate['skills']): Promise<void> {
  const seen = new Set<string>();
  const rows = (skills ?? []).map((s, i) => {
    const skill = normaliseText(s.skill);
    if (!skill) throw invalidField(`/skills/${i}/skill`, 'is empty');
    if (seen.has(skill)) throw invalidField(`/skills/${i}/skill`, `${skill} is listed twice`, 'duplicate');
    seen.add(skill);
    return { employee_id: employeeId, skill_code: skill, level: s.level };
  });
  await tx.deleteFrom('employee_skills').where('employee_id', '=', employeeId).execute();
  if (rows.length > 0) await tx.insertInto('employee_skills').values(rows).execute();
}

const badge = (text: string | null | undefined) => {
  const b = text == null ? '' : normaliseText(text, { whitespace: 'remove', upperCase: true });
  return b === '' ? null : b;
};

/** A unique violation on the badge is not a duplicate code. */
const badgeClash = (badgeCode: string | null | undefined) => (err: unknown) =>
  badgeCode &&
  /badge/i.test(
    String((err as { message?: string; constraint?: string }).constraint ?? (err as Error).message),
  )
    ? new AppError('DUPLICATE_BADGE', `Badge ${badgeCode} is already assigned`, {
        fieldErrors: [{ field: '/badgeCode', message: 'is already assigned', code: 'duplicate' }],
      })
    : null;

export async function createEmployee(db: Db, ctx: Ctx, input: EmployeeCreate): Promise<Employee> {
  const now = nowIso();
  const row: EmployeesTable = {
    id: newId(),
    code: await checkCode(db.kysely, 'employees', input.code),
    name: input.name.trim(),
    team: (input.team ?? '').trim(),
    shift: (input.shift ?? '').trim(),
    badge_code: badge(input.badgeCode),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  return createRecord(db, ctx, employeeSpec, row, {
    children: (tx) => replaceSkills(tx, row.id, input.skills),
    uniqueError: badgeClash(row.badge_code),
  });
}

export async function updateEmployee(db: Db, ctx: Ctx, id: string, input: EmployeeUpdate): Promise<Employee> {
  const c: Partial<EmployeesTable> = { updated_at: nowIso() };
  if (input.code !== undefined) c.code = await checkCode(db.kysely, 'employees', input.code);
  if (input.name !== undefined) c.name = input.name.trim();
  if (input.team !== undefined) c.team = input.team.trim();
  if (input.shift !== undefined) c.shift = input.shift.trim();
  if (input.badgeCode !== undefined) c.badge_code = badge(input.badgeCode);
  const skills = input.skills;
  return updateRecord(db, ctx, employeeSpec, id, input, c, {
    children: skills ? (tx) => replaceSkills(tx, id, skills) : undefined,
    uniqueError: badgeClash(c.badge_code),
  });
}

export const getEmployee = (db: Db, id: string) => getRecord(db, employeeSpec, id);
export const deleteEmployee = (db: Db, ctx: Ctx, id: string) => deleteRecord(db, ctx, employeeSpec, id);

export async function listEmployees(db: Db, query: EmployeeListQuery): Promise<PageOf<Employee>> {
  let q = db.kysely.selectFrom('employees').selectAll();
  if (query.q) q = q.where(containsText(db.dialect, query.q, ['code', 'name']));
  if (query.team) q = q.where('team', '=', query.team);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  if (query.skill) {
    const skill = normaliseText(query.skill);
    const min = query.minLevel ?? 1;
    q = q.where('id', 'in', (eb) =>
      eb
        .selectFrom('employee_skills')
        .select('employee_id')
        .where('skill_code', '=', skill)
        .where('level', '>=', min),
    );
  }
  const { rows, nextCursor } = await runPage(q, query);
  return { items: await toEmployees(db.kysely, rows), nextCursor };
}
