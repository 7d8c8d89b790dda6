import type { CustomerCreate, SupplierItemInput } from '@takt/contracts';

/** 精工五金's customers and suppliers; supplied items are referred to by item code. */

const contact = (name: string, phone: string, email?: string) => ({
  name,
  phone,
  ...(email ? { email } : {}),
});

export const DEMO_CUSTOMERS: readonly CustomerCreate[] = [
  {
    code: 'C-0001',
    name: '苏州汇川精密机械有限公司',
    tier: 'A',
    address: '江苏省苏州市吴中区越溪街道友翔路 18 号',
    contacts: [contact('周建国', '13906211875', 'zhoujg@hcjm.cn'), contact('沈晓燕', '0512-65832210')],
  },
  {
    code: 'C-0002',
    name: '宁波东力传动设备有限公司',
    tier: 'A',
    address: '浙江省宁波市江北区长兴路 199 号',
    contacts: [contact('俞海波', '13805847321', 'yuhb@donly.com.cn')],
  },
  {
    code: 'C-0003',
    name: '无锡华光电气成套有限公司',
    tier: 'B',
    address: '江苏省无锡市新吴区锡兴路 66 号',
    contacts: [contact('钱伟', '13951572036')],
  },
  {
    code: 'C-0004',
    name: '常州恒泰泵业有限公司',
    tier: 'B',
    address: '江苏省常州市武进区湖塘镇人民西路 8 号',
    contacts: [contact('蒋丽', '13861192250', 'jiangli@htpump.com')],
  },
  {
    code: 'C-0005',
    name: '杭州中意自动化设备有限公司',
    tier: 'B',
    address: '浙江省杭州市余杭区仓前街道文一西路 1218 号',
    contacts: [contact('方志强', '13757123398')],
  },
  {
    code: 'C-0006',
    name: '昆山鑫源环保科技有限公司',
    tier: 'C',
    address: '江苏省昆山市开发区前进东路 579 号',
    contacts: [contact('陆佳', '15062688412')],
  },
  {
    code: 'C-0007',
    name: '嘉兴永信五金机电商行',
    tier: 'C',
    address: '浙江省嘉兴市南湖区中环南路 1501 号',
    contacts: [contact('褚永信', '13567358806')],
  },
  {
    code: 'C-0008',
    name: '上海德鑫工业设备有限公司',
    tier: 'A',
    address: '上海市嘉定区安亭镇墨玉南路 888 号',
    contacts: [contact('顾敏', '13917760524', 'gumin@dexin-sh.com'), contact('采购部', '021-69571100')],
  },
];

type Supplied = Omit<SupplierItemInput, 'itemId'> & { itemCode: string };
export interface DemoSupplier {
  readonly code: string;
  readonly name: string;
  readonly leadDays: number;
  readonly address: string;
  readonly contacts: ReturnType<typeof contact>[];
  readonly items: readonly Supplied[];
}

export const DEMO_SUPPLIERS: readonly DemoSupplier[] = [
  {
    code: 'S-0001',
    name: '江阴兴澄特钢贸易有限公司',
    leadDays: 7,
    address: '江苏省江阴市滨江东路 297 号',
    contacts: [contact('黄志刚', '13921236650')],
    items: [
      { itemCode: 'RM-300100', supplierPartNo: '45#-Φ28-6M', price: '5.05', moq: '1000' },
      { itemCode: 'RM-300200', supplierPartNo: '45#-Φ32-6M', price: '5.05', moq: '1000' },
      { itemCode: 'RM-300700', supplierPartNo: '40CR-Φ90', price: '6.75', leadDays: 10, moq: '500' },
    ],
  },
  {
    code: 'S-0002',
    name: '上海宝钢板材加工配送中心',
    leadDays: 5,
    address: '上海市宝山区同济路 3521 号',
    contacts: [contact('邵磊', '13601898120', 'shaolei@bsplate.com')],
    items: [
      { itemCode: 'RM-300300', supplierPartNo: 'SPCC-3.0-1250×2500', price: '4.65', moq: '2000' },
      { itemCode: 'RM-300400', supplierPartNo: 'SPCC-4.0-1250×2500', price: '4.65', moq: '2000' },
      { itemCode: 'RM-300600', supplierPartNo: 'Q235B-12-1500×3000', price: '4.18', moq: '3000' },
    ],
  },
  {
    code: 'S-0003',
    name: '无锡太钢不锈钢经销部',
    leadDays: 7,
    address: '江苏省无锡市锡山区东港镇不锈钢市场 A 区 12 号',
    contacts: [contact('冯燕', '13706180392')],
    items: [
      { itemCode: 'RM-300500', supplierPartNo: '304-1.5-2B拉丝', price: '16.20', moq: '500' },
      { itemCode: 'CM-500300', supplierPartNo: 'ER50-6-1.0-15KG', price: '9.50', leadDays: 3, moq: '150' },
    ],
  },
  {
    code: 'S-0004',
    name: '洛阳LYC轴承华东经销公司',
    leadDays: 10,
    address: '江苏省苏州市相城区元和街道澄阳路 11 号',
    contacts: [contact('韩斌', '13812605537')],
    items: [{ itemCode: 'PP-400100', supplierPartNo: 'LYC-6205-2Z/C3', price: '8.20', moq: '100' }],
  },
  {
    code: 'S-0005',
    name: '宁波永固紧固件有限公司',
    leadDays: 4,
    address: '浙江省宁波市海曙区古林镇工业园 9 号',
    contacts: [contact('应国平', '13957410963', 'sales@yonggu-fastener.cn')],
    items: [
      { itemCode: 'PP-400200', supplierPartNo: 'GB5783-M8×25-8.8-Zn', price: '0.16', moq: '5000' },
      { itemCode: 'PP-400300', supplierPartNo: 'GB97.1-M8-Zn', price: '0.02', moq: '10000' },
      { itemCode: 'PP-400400', supplierPartNo: 'GB93-M8-黑', price: '0.03', moq: '10000' },
    ],
  },
  {
    code: 'S-0006',
    name: '广州华彩粉末涂料有限公司',
    leadDays: 6,
    address: '广东省广州市花都区狮岭镇合成村工业区',
    contacts: [contact('梁嘉欣', '13926011478')],
    items: [
      { itemCode: 'CM-500100', supplierPartNo: 'HC-EP-9005-黑', price: '26.50', moq: '200' },
      { itemCode: 'CM-500200', supplierPartNo: 'HC-EP-7035-灰', price: '26.50', moq: '200' },
    ],
  },
];
