import type { ItemCreate } from '@takt/contracts';

/** Documented in the README so a newcomer can try each role's view. */
export const DEMO_PASSWORD = 'takt-demo';

export const DEMO_USERS = [
  { login: 'planner', displayName: '计划员 王芳', role: 'planner' },
  { login: 'supervisor', displayName: '车间主管 李强', role: 'supervisor' },
  { login: 'operator', displayName: '操作工 张伟', role: 'operator', badge: 'E1001', pin: '1234' },
  { login: 'operator2', displayName: '操作工 周杰', role: 'operator', badge: 'E1002', pin: '2345' },
  { login: 'operator3', displayName: '操作工 吴娜', role: 'operator', badge: 'E1003', pin: '3456' },
  { login: 'warehouse', displayName: '仓管 刘洋', role: 'warehouse' },
  { login: 'sales', displayName: '销售 陈静', role: 'sales' },
  { login: 'purchasing', displayName: '采购 杨磊', role: 'purchasing' },
  { login: 'quality', displayName: '质检 赵敏', role: 'quality' },
  { login: 'viewer', displayName: '访客 孙丽', role: 'viewer' },
  { login: 'manager', displayName: '经理 郑宏', role: 'manager' },
] as const;

type T = ItemCreate['type'];
const item = (
  code: string,
  name: string,
  spec: string,
  type: T,
  uom: string,
  cost: string,
  safety = '0',
): ItemCreate => ({
  code,
  name,
  spec,
  type,
  uom,
  standardCost: cost,
  safetyStock: safety,
});

export const DEMO_ITEMS: readonly ItemCreate[] = [
  // Finished goods
  item('FG-100100', '法兰盘 DN50', 'DN50 PN16 Q235 镀锌', 'finished', 'pcs', '38.50', '50'),
  item('FG-100200', '法兰盘 DN80', 'DN80 PN16 Q235 镀锌', 'finished', 'pcs', '56.00', '30'),
  item('FG-100300', '电机支架 A型', '3mm 冷轧板 喷塑 黑色', 'finished', 'pcs', '24.80', '100'),
  item('FG-100400', '电机支架 B型', '4mm 冷轧板 喷塑 灰色', 'finished', 'pcs', '29.60', '60'),
  item('FG-100500', '传动轴 Φ25×320', '45# 调质 镀铬', 'finished', 'pcs', '72.00', '20'),
  item('FG-100600', '传动轴 Φ30×450', '45# 调质 镀铬', 'finished', 'pcs', '96.00', '20'),
  item('FG-100700', '轴承座 UCP205', 'HT200 铸件 精加工', 'finished', 'pcs', '45.00', '40'),
  item('FG-100800', '控制箱外壳', '1.5mm 不锈钢 304 拉丝', 'finished', 'set', '210.00', '10'),
  item('FG-100900', '齿轮 m2 z40', '40Cr 高频淬火', 'finished', 'pcs', '64.00', '30'),
  item('FG-101000', '连接板组件', '含 4 颗 M8 螺栓', 'finished', 'set', '33.00', '50'),
  // Semi-finished
  item('SF-200100', '法兰毛坯 DN50', '车削前 Q235', 'semi_finished', 'pcs', '18.00'),
  item('SF-200200', '法兰毛坯 DN80', '车削前 Q235', 'semi_finished', 'pcs', '27.00'),
  item('SF-200300', '支架展开件 A', '激光切割 3mm', 'semi_finished', 'pcs', '9.50'),
  item('SF-200400', '支架展开件 B', '激光切割 4mm', 'semi_finished', 'pcs', '12.00'),
  item('SF-200500', '支架折弯件 A', '折弯后未喷塑', 'semi_finished', 'pcs', '15.20'),
  item('SF-200600', '支架折弯件 B', '折弯后未喷塑', 'semi_finished', 'pcs', '18.40'),
  item('SF-200700', '轴粗车件 Φ25', '粗车留量 0.5', 'semi_finished', 'pcs', '31.00'),
  item('SF-200800', '轴粗车件 Φ30', '粗车留量 0.5', 'semi_finished', 'pcs', '42.00'),
  item('SF-200900', '齿坯 m2 z40', '滚齿前', 'semi_finished', 'pcs', '28.00'),
  item('SF-201000', '箱体焊接件', '焊接后未拉丝', 'semi_finished', 'set', '140.00'),
  // Raw material
  item('RM-300100', '圆钢 45# Φ28', '6m/根', 'raw', 'kg', '5.20', '500'),
  item('RM-300200', '圆钢 45# Φ32', '6m/根', 'raw', 'kg', '5.20', '500'),
  item('RM-300300', '冷轧板 3mm', '1250×2500', 'raw', 'kg', '4.80', '800'),
  item('RM-300400', '冷轧板 4mm', '1250×2500', 'raw', 'kg', '4.80', '600'),
  item('RM-300500', '不锈钢板 304 1.5mm', '1220×2440 拉丝', 'raw', 'kg', '16.50', '200'),
  item('RM-300600', 'Q235 钢板 12mm', '1500×3000', 'raw', 'kg', '4.30', '1000'),
  item('RM-300700', '40Cr 圆钢 Φ90', '锯切料', 'raw', 'kg', '6.90', '300'),
  item('RM-300800', 'HT200 铸件毛坯 UCP205', '外协铸造', 'raw', 'pcs', '22.00', '80'),
  // Purchased parts
  item('PP-400100', '深沟球轴承 6205', 'ZZ C3', 'purchased', 'pcs', '8.60', '200'),
  item('PP-400200', '六角螺栓 M8×25', '8.8级 镀锌', 'purchased', 'pcs', '0.18', '5000'),
  item('PP-400300', '平垫 M8', '镀锌', 'purchased', 'pcs', '0.03', '5000'),
  item('PP-400400', '弹垫 M8', '65Mn 发黑', 'purchased', 'pcs', '0.04', '5000'),
  item('PP-400500', '门锁 MS705', '锌合金', 'purchased', 'pcs', '12.50', '50'),
  item('PP-400600', '铰链 CL226', '不锈钢', 'purchased', 'pcs', '6.80', '100'),
  // Consumables and tools
  item('CM-500100', '环氧粉末涂料 黑', '20kg/箱', 'consumable', 'kg', '28.00', '100'),
  item('CM-500200', '环氧粉末涂料 灰', '20kg/箱', 'consumable', 'kg', '28.00', '100'),
  item('CM-500300', '焊丝 ER50-6 Φ1.0', '15kg/盘', 'consumable', 'kg', '9.80', '60'),
  item('CM-500400', '切削液', '18L/桶', 'consumable', 'L', '12.00', '40'),
  item('TL-600100', '数控车刀片 CNMG120408', 'PVD 涂层', 'tool', 'pcs', '26.00', '50'),
  item('TL-600200', '滚刀 m2', 'HSS AA级', 'tool', 'pcs', '680.00', '2'),
];
