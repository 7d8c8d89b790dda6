import { type Static, Type } from 'typebox';
import { Page } from './common.ts';
import { Warning } from './items.ts';
import { Code, listQuery, Name, Stamps, Text, updateOf } from './masterdata.ts';

/** Shop-floor resources kept as master data: employees with skills, and tools, molds and fixtures. */

// Employees
export const Skill = Type.Object(
  { skill: Type.String({ minLength: 1, maxLength: 40 }), level: Type.Integer({ minimum: 1, maximum: 5 }) },
  { additionalProperties: false },
);
export const Employee = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  team: Type.String(),
  shift: Type.String(),
  badgeCode: Type.Union([Type.String(), Type.Null()]),
  skills: Type.Array(Skill),
  ...Stamps,
});
export type Employee = Static<typeof Employee>;
export const EmployeeCreate = Type.Object(
  {
    code: Code,
    name: Name,
    team: Type.Optional(Text(60)),
    shift: Type.Optional(Text(60)),
    badgeCode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    skills: Type.Optional(
      Type.Array(Skill, { maxItems: 50, description: 'replaces the whole list when sent' }),
    ),
  },
  { additionalProperties: false },
);
export type EmployeeCreate = Static<typeof EmployeeCreate>;
export const EmployeeUpdate = updateOf(EmployeeCreate);
export type EmployeeUpdate = Static<typeof EmployeeUpdate>;
export const EmployeeListQuery = listQuery({
  team: Type.Optional(Text(60)),
  skill: Type.Optional(Type.String({ maxLength: 40, description: 'has this skill' })),
  minLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'with at least this level' })),
});
export type EmployeeListQuery = Static<typeof EmployeeListQuery>;
export const EmployeePage = Page(Employee);

// Tools and molds
export const ToolKind = Type.Union([Type.Literal('tool'), Type.Literal('mold'), Type.Literal('fixture')]);
export const Tool = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: ToolKind,
  qtyAvailable: Type.Integer(),
  setupFamily: Type.String(),
  usageCount: Type.Integer(),
  usageLimit: Type.Union([Type.Integer(), Type.Null()]),
  itemIds: Type.Array(Type.String()),
  machineCodes: Type.Array(Type.String(), { description: 'machine codes as text until machines are linked' }),
  ...Stamps,
  warnings: Type.Optional(Type.Array(Warning)),
});
export type Tool = Static<typeof Tool>;
export const ToolCreate = Type.Object(
  {
    code: Code,
    name: Name,
    kind: ToolKind,
    qtyAvailable: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    setupFamily: Type.Optional(Text(60)),
    usageLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    itemIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })),
    machineCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type ToolCreate = Static<typeof ToolCreate>;
export const ToolUpdate = updateOf(ToolCreate);
export type ToolUpdate = Static<typeof ToolUpdate>;
export const ToolListQuery = listQuery({
  kind: Type.Optional(ToolKind),
  setupFamily: Type.Optional(Text(60)),
  itemId: Type.Optional(Type.String({ maxLength: 64, description: 'tools that fit this item' })),
});
export type ToolListQuery = Static<typeof ToolListQuery>;
export const ToolPage = Page(Tool);
export const ToolUsage = Type.Object(
  {
    count: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'shots, strokes or cycles to add' }),
    reset: Type.Optional(
      Type.Boolean({ description: 'maintenance done: start the counter from zero first' }),
    ),
  },
  { additionalProperties: false },
);
export type ToolUsage = Static<typeof ToolUsage>;
