import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ITEM_COLUMNS, ITEM_EXAMPLE, ITEM_HEADERS } from './item-columns.ts';
import { SHEETS } from './sheet.routes.ts';
import { headerOf } from './sheet-columns.ts';

/**
 * The shape of every sheet a user downloads and fills in: sheet name, column order, the bilingual
 * header, which columns an import requires and the column widths of the workbook. Files exported
 * before a change must still import after it, so any difference here is deliberate.
 */
/** The first columns of the BOM and routing sheets: the parent item and its version. */
const VERSION_HEADER = [
  'item | 父项物料 Item | required | 16',
  'version | 版本 Version | required | 10',
  'effectiveFrom | 生效日期 Effective from | optional | 12',
  'effectiveTo | 失效日期 Effective to | optional | 12',
];

const PINNED: Record<
  string,
  { sheetName: string; keyColumn: string; customFields: string | null; columns: string[] }
> = {
  customers: {
    sheetName: 'Customers 客户',
    keyColumn: 'code',
    customFields: 'customers',
    columns: [
      'code | 编码 Code | required | 16',
      'name | 名称 Name | required | 28',
      'tier | 等级 Tier | optional | 8',
      'address | 地址 Address | optional | 30',
      'contact | 联系人 Contact | optional | 12',
      'phone | 电话 Phone | optional | 16',
      'email | 邮箱 Email | optional | 22',
      'active | 启用 Active | optional | 8',
    ],
  },
  suppliers: {
    sheetName: 'Suppliers 供应商',
    keyColumn: 'code',
    customFields: 'suppliers',
    columns: [
      'code | 编码 Code | required | 16',
      'name | 名称 Name | required | 28',
      'leadDays | 交货期 Lead days | optional | 10',
      'address | 地址 Address | optional | 30',
      'contact | 联系人 Contact | optional | 12',
      'phone | 电话 Phone | optional | 16',
      'email | 邮箱 Email | optional | 22',
      'active | 启用 Active | optional | 8',
      'itemCode | 供货物料 Item code | optional | 16',
      'partNo | 供应商料号 Supplier part no | optional | 16',
      'price | 单价 Price | optional | 12',
      'currency | 币种 Currency | optional | 8',
      'itemLeadDays | 物料交货期 Item lead days | optional | 10',
      'moq | 最小订购量 MOQ | optional | 12',
    ],
  },
  warehouses: {
    sheetName: 'Warehouses 仓库',
    keyColumn: 'code',
    customFields: null,
    columns: [
      'code | 编码 Code | required | 16',
      'name | 名称 Name | required | 24',
      'address | 地址 Address | optional | 30',
      'active | 启用 Active | optional | 8',
    ],
  },
  locations: {
    sheetName: 'Locations 库位',
    keyColumn: 'code',
    customFields: null,
    columns: [
      'warehouse | 仓库 Warehouse | required | 14',
      'code | 编码 Code | required | 16',
      'name | 名称 Name | required | 24',
      'kind | 类型 Kind | required | 12',
      'active | 启用 Active | optional | 8',
    ],
  },
  employees: {
    sheetName: 'Employees 员工',
    keyColumn: 'code',
    customFields: null,
    columns: [
      'code | 工号 Code | required | 14',
      'name | 姓名 Name | required | 14',
      'team | 班组 Team | optional | 12',
      'shift | 班次 Shift | optional | 10',
      'badge | 工牌 Badge | optional | 14',
      'skills | 技能 Skills | optional | 24',
      'active | 启用 Active | optional | 8',
    ],
  },
  tools: {
    sheetName: 'Tools 工装模具',
    keyColumn: 'code',
    customFields: null,
    columns: [
      'code | 编码 Code | required | 16',
      'name | 名称 Name | required | 24',
      'kind | 类型 Kind | required | 10',
      'qty | 可用数量 Qty available | optional | 10',
      'setupFamily | 换型族 Setup family | optional | 12',
      'usageLimit | 寿命次数 Usage limit | optional | 12',
      'items | 适用物料 Items | optional | 24',
      'machines | 适用机台 Machines | optional | 20',
      'active | 启用 Active | optional | 8',
    ],
  },
  'work-centers': {
    sheetName: 'Work centers 工作中心',
    keyColumn: 'code',
    customFields: null,
    columns: [
      'code | 编码 Code | required | 16',
      'name | 名称 Name | required | 24',
      'kind | 类别 Kind | optional | 16',
      'calendar | 日历 Calendar | optional | 14',
      'active | 启用 Active | optional | 8',
    ],
  },
  machines: {
    sheetName: 'Machines 设备',
    keyColumn: 'code',
    customFields: 'machines',
    columns: [
      'code | 编码 Code | required | 16',
      'name | 名称 Name | required | 24',
      'workCenter | 工作中心 Work center | required | 14',
      'capacity | 并行数 Capacity | optional | 10',
      'efficiency | 效率% Efficiency % | optional | 12',
      'hourlyCost | 小时费率 Hourly cost | optional | 12',
      'calendar | 日历 Calendar | optional | 14',
      'active | 启用 Active | optional | 8',
    ],
  },
  boms: {
    sheetName: 'BOM lines 物料清单',
    keyColumn: 'version',
    customFields: null,
    columns: [
      ...VERSION_HEADER,
      'position | 行号 Position | optional | 8',
      'component | 子项物料 Component | required | 16',
      'qtyPer | 用量 Qty per | required | 10',
      'scrap | 损耗率% Scrap % | optional | 10',
      'operationSeq | 工序号 Operation seq | optional | 10',
    ],
  },
  routings: {
    sheetName: 'Routing operations 工艺路线',
    keyColumn: 'version',
    customFields: null,
    columns: [
      ...VERSION_HEADER,
      'seq | 工序号 Seq | required | 8',
      'name | 工序名称 Operation | required | 16',
      'workCenter | 工作中心 Work center | required | 14',
      'setup | 准备时间(分) Setup min | optional | 10',
      'run | 单件工时(分) Run min per unit | required | 12',
      'transferBatch | 转移批量 Transfer batch | optional | 10',
      'skill | 技能 Skill | optional | 10',
      'skillLevel | 技能等级 Skill level | optional | 8',
      'tool | 工装 Tool | optional | 12',
      'wait | 等待时间(分) Wait min | optional | 10',
      'overlap | 可重叠 Overlap | optional | 8',
      'inspection | 首检 Inspection | optional | 8',
      'predecessors | 前序工序 Predecessors | optional | 12',
      'alternatives | 备选设备 Alternative machines | optional | 28',
    ],
  },
};

const shape = (c: { key: string; zh: string; en: string; required?: boolean; width?: number }) =>
  `${c.key} | ${headerOf(c)} | ${c.required ? 'required' : 'optional'} | ${c.width ?? 14}`;

describe('sheet columns', () => {
  it('keeps the name, columns, headers, required flags and widths of every entity sheet', () => {
    assert.deepEqual(
      SHEETS.map((s) => s.entity),
      Object.keys(PINNED),
    );
    for (const spec of SHEETS) {
      assert.deepEqual(
        {
          sheetName: spec.sheetName,
          keyColumn: spec.keyColumn,
          customFields: spec.customFields ?? null,
          columns: spec.columns.map(shape),
        },
        PINNED[spec.entity],
        spec.entity,
      );
    }
  });

  it('fills every column in each example row of a template', () => {
    for (const spec of SHEETS) {
      assert.ok(spec.example.length > 0, spec.entity);
      for (const row of spec.example) assert.equal(row.length, spec.columns.length, spec.entity);
    }
  });

  it('keeps the item sheet headers in their order', () => {
    assert.deepEqual(ITEM_HEADERS, [
      '编码 Code',
      '名称 Name',
      '规格 Spec',
      '类型 Type',
      '单位 UoM',
      '追溯方式 Tracking',
      '安全库存 Safety stock',
      '标准成本 Standard cost',
      '默认仓库 Default warehouse',
      '采购提前期 Purchase lead days',
      '生产提前期 Production lead days',
      '最小订购量 Min order qty',
      '订购倍数 Order multiple',
      '启用 Active',
    ]);
    assert.deepEqual(
      ITEM_COLUMNS.filter((c) => c.required).map((c) => c.key),
      ['code', 'name', 'type', 'uom'],
    );
    assert.equal(ITEM_EXAMPLE.length, ITEM_COLUMNS.length);
  });
});
