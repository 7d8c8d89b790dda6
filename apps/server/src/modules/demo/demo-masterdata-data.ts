import type { EmployeeCreate, ItemCreate, ToolCreate } from '@takt/contracts';

/** 精工五金's stores, people and tooling, and planning details of its items (by item code). */

export const DEMO_WAREHOUSES = [
  {
    code: 'WH-RM',
    name: '原材料仓',
    address: '一号厂房北侧',
    locations: [
      ['RM-A01', '钢材架 A01', 'storage'],
      ['RM-A02', '钢材架 A02', 'storage'],
      ['RM-B01', '板材区 B01', 'storage'],
      ['RM-C01', '标准件货架 C01', 'storage'],
      ['RM-RCV', '收货区', 'receiving'],
      ['RM-QC', '来料待检区', 'quarantine'],
    ],
  },
  {
    code: 'WH-WIP',
    name: '半成品仓',
    address: '二号厂房中部',
    locations: [
      ['WIP-01', '半成品货架 01', 'storage'],
      ['LS-CNC', '数控车线边', 'line_side'],
      ['LS-LASER', '激光切割线边', 'line_side'],
      ['LS-BEND', '折弯线边', 'line_side'],
      ['LS-WELD', '焊接线边', 'line_side'],
      ['LS-PAINT', '喷塑线边', 'line_side'],
    ],
  },
  {
    code: 'WH-FG',
    name: '成品仓',
    address: '一号厂房南侧',
    locations: [
      ['FG-A01', '成品架 A01', 'storage'],
      ['FG-A02', '成品架 A02', 'storage'],
      ['FG-SHP', '发货区', 'shipping'],
      ['FG-NG', '不合格品区', 'quarantine'],
    ],
  },
] as const;

/**
 * Planning fields and unit conversions for some items; the default warehouse follows the code prefix.
 * RM-300100, PP-400100 and FG-100100 stay untracked: inventory examples receive them without lots.
 */
export const DEMO_ITEM_DETAILS: Readonly<Record<string, Partial<ItemCreate>>> = {
  // Φ28 45#: 0.00617 × 28² ≈ 4.83 kg per metre; a bar is 6 m.
  'RM-300100': {
    purchaseLeadDays: 7,
    minOrderQty: '1000',
    orderMultiple: '500',
    conversions: [
      { from: 'm', to: 'kg', num: 483, den: 100 },
      { from: '根', to: 'm', num: 6, den: 1 },
    ],
  },
  'RM-300200': {
    purchaseLeadDays: 7,
    minOrderQty: '1000',
    orderMultiple: '500',
    conversions: [
      { from: 'm', to: 'kg', num: 631, den: 100 },
      { from: '根', to: 'm', num: 6, den: 1 },
    ],
  },
  // 1250 × 2500 sheet, 7.85 t/m³.
  'RM-300300': {
    tracking: 'lot',
    purchaseLeadDays: 5,
    minOrderQty: '2000',
    conversions: [{ from: '张', to: 'kg', num: 73594, den: 1000 }],
  },
  'RM-300400': {
    tracking: 'lot',
    purchaseLeadDays: 5,
    minOrderQty: '2000',
    conversions: [{ from: '张', to: 'kg', num: 98125, den: 1000 }],
  },
  'RM-300500': { tracking: 'lot', purchaseLeadDays: 7 },
  'RM-300700': { tracking: 'lot', purchaseLeadDays: 10 },
  'RM-300800': { tracking: 'lot', purchaseLeadDays: 20, minOrderQty: '100', orderMultiple: '50' },
  'PP-400100': {
    purchaseLeadDays: 10,
    minOrderQty: '100',
    orderMultiple: '50',
    conversions: [{ from: '盒', to: 'pcs', num: 50, den: 1 }],
  },
  'PP-400200': {
    purchaseLeadDays: 4,
    minOrderQty: '5000',
    orderMultiple: '1000',
    conversions: [{ from: '盒', to: 'pcs', num: 1000, den: 1 }],
  },
  'PP-400300': {
    purchaseLeadDays: 4,
    minOrderQty: '10000',
    orderMultiple: '1000',
    conversions: [{ from: '盒', to: 'pcs', num: 1000, den: 1 }],
  },
  'CM-500100': { purchaseLeadDays: 6, conversions: [{ from: '箱', to: 'kg', num: 20, den: 1 }] },
  'CM-500200': { purchaseLeadDays: 6, conversions: [{ from: '箱', to: 'kg', num: 20, den: 1 }] },
  'CM-500300': { purchaseLeadDays: 3, conversions: [{ from: '盘', to: 'kg', num: 15, den: 1 }] },
  'CM-500400': { purchaseLeadDays: 3, conversions: [{ from: '桶', to: 'L', num: 18, den: 1 }] },
  'FG-100100': {
    productionLeadDays: 3,
    conversions: [{ from: '箱', to: 'pcs', num: 20, den: 1 }],
  },
  'FG-100200': { tracking: 'lot', productionLeadDays: 4 },
  'FG-100500': { tracking: 'lot', productionLeadDays: 5 },
  'FG-100600': { tracking: 'lot', productionLeadDays: 5 },
  'FG-100700': { productionLeadDays: 3, conversions: [{ from: '箱', to: 'pcs', num: 12, den: 1 }] },
  'FG-100800': { tracking: 'serial', productionLeadDays: 7 },
};

const SKILLS = {
  lathe: 'CNC车',
  mill: '铣',
  laser: '激光切割',
  bend: '折弯',
  weld: '焊接',
  paint: '喷塑',
  qc: '质检',
} as const;
const emp = (
  n: number,
  name: string,
  team: string,
  shift: string,
  skills: Partial<Record<keyof typeof SKILLS, number>>,
): EmployeeCreate => ({
  code: `E${1000 + n}`,
  name,
  team,
  shift,
  badgeCode: `E${1000 + n}`,
  skills: Object.entries(skills).map(([k, level]) => ({
    skill: SKILLS[k as keyof typeof SKILLS],
    level: level!,
  })),
});

export const DEMO_EMPLOYEES: readonly EmployeeCreate[] = [
  emp(1, '张伟', '机加工一组', '白班', { lathe: 4, mill: 3 }),
  emp(2, '周杰', '钣金组', '白班', { laser: 4, bend: 3 }),
  emp(3, '吴娜', '喷涂组', '白班', { paint: 4, qc: 2 }),
  emp(4, '王建军', '机加工一组', '白班', { lathe: 5, mill: 4, qc: 3 }),
  emp(5, '李红梅', '机加工一组', '白班', { lathe: 3 }),
  emp(6, '刘志勇', '机加工一组', '夜班', { lathe: 4, mill: 2 }),
  emp(7, '陈晓东', '机加工二组', '白班', { mill: 5, lathe: 3 }),
  emp(8, '杨帆', '机加工二组', '夜班', { mill: 3 }),
  emp(9, '赵磊', '机加工二组', '白班', { mill: 2, lathe: 2 }),
  emp(10, '黄海涛', '钣金组', '白班', { laser: 5, bend: 4 }),
  emp(11, '孙丽娟', '钣金组', '夜班', { laser: 3 }),
  emp(12, '马超', '钣金组', '白班', { bend: 5, weld: 2 }),
  emp(13, '胡文斌', '钣金组', '夜班', { bend: 3, laser: 2 }),
  emp(14, '郭鹏', '焊接组', '白班', { weld: 5 }),
  emp(15, '何俊', '焊接组', '白班', { weld: 4, bend: 2 }),
  emp(16, '林小芳', '焊接组', '夜班', { weld: 3 }),
  emp(17, '罗建华', '喷涂组', '白班', { paint: 5 }),
  emp(18, '梁静', '喷涂组', '夜班', { paint: 3 }),
  emp(19, '宋玉兰', '质检组', '白班', { qc: 5, lathe: 2 }),
  emp(20, '谢明', '质检组', '白班', { qc: 4, mill: 2 }),
];

type DemoTool = Omit<ToolCreate, 'itemIds'> & { itemCodes: readonly string[]; used?: number };
export const DEMO_TOOLS: readonly DemoTool[] = [
  {
    code: 'MD-0001',
    name: '折弯上模 88° 直刀 R0.6',
    kind: 'mold',
    qtyAvailable: 2,
    setupFamily: '折弯-V12',
    usageLimit: 200000,
    itemCodes: ['SF-200500', 'SF-200600'],
    machineCodes: ['BEND-01', 'BEND-02'],
    used: 61500,
  },
  {
    code: 'MD-0002',
    name: '支架冲孔模 A型',
    kind: 'mold',
    qtyAvailable: 1,
    setupFamily: '冲孔-支架A',
    usageLimit: 50000,
    itemCodes: ['SF-200300'],
    machineCodes: ['PRESS-01'],
    used: 46200,
  },
  {
    code: 'FX-0001',
    name: '法兰车削软爪 DN50',
    kind: 'fixture',
    qtyAvailable: 2,
    setupFamily: '法兰-DN50',
    itemCodes: ['SF-200100', 'FG-100100'],
    machineCodes: ['CNC-01', 'CNC-02'],
  },
  {
    code: 'FX-0002',
    name: '法兰车削软爪 DN80',
    kind: 'fixture',
    qtyAvailable: 1,
    setupFamily: '法兰-DN80',
    itemCodes: ['SF-200200', 'FG-100200'],
    machineCodes: ['CNC-01', 'CNC-02'],
  },
  {
    code: 'FX-0003',
    name: '控制箱焊接工装',
    kind: 'fixture',
    qtyAvailable: 1,
    setupFamily: '焊接-控制箱',
    itemCodes: ['SF-201000'],
    machineCodes: ['WELD-01'],
  },
  {
    code: 'TL-0001',
    name: '滚刀杆 m2 (配 TL-600200 滚刀)',
    kind: 'tool',
    qtyAvailable: 1,
    setupFamily: '滚齿-m2',
    usageLimit: 8000,
    itemCodes: ['SF-200900', 'FG-100900'],
    machineCodes: ['HOB-01'],
    used: 2300,
  },
];
