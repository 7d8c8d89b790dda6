import type { CalendarException, Shift } from '@takt/contracts';

/**
 * 精工五金's plant: a two-shift calendar, four machine groups with twelve machines, three-level BOMs
 * and routings for the finished goods. References are by code; the loader resolves ids.
 */
const MON_SAT = [1, 2, 3, 4, 5, 6];
export const DEMO_SHIFTS: Shift[] = MON_SAT.flatMap((weekday) => [
  { weekday, start: '08:00', end: '16:30' },
  { weekday, start: '16:30', end: '01:00' },
]);

const holidays = (name: string, first: string, days: number): CalendarException[] =>
  Array.from({ length: days }, (_, i) => {
    const d = new Date(`${first}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + i);
    return { date: d.toISOString().slice(0, 10), kind: 'holiday' as const, name };
  });

export const DEMO_EXCEPTIONS: CalendarException[] = [
  ...holidays('元旦', '2026-01-01', 1),
  { date: '2026-02-15', kind: 'workday', name: '春节调休' },
  ...holidays('春节', '2026-02-16', 7),
  ...holidays('劳动节', '2026-05-01', 3),
  ...holidays('端午节', '2026-06-19', 1),
  ...holidays('中秋节', '2026-09-25', 1),
  { date: '2026-09-27', kind: 'workday', name: '国庆调休' },
  ...holidays('国庆节', '2026-10-01', 7),
  ...holidays('元旦', '2027-01-01', 1),
  ...holidays('春节', '2027-02-06', 7),
  ...holidays('劳动节', '2027-05-01', 3),
  ...holidays('国庆节', '2027-10-01', 7),
];

export const DEMO_WORK_CENTERS = [
  { code: 'WC-CNC', name: 'CNC车床组', kind: 'CNC车床' },
  { code: 'WC-MC', name: '加工中心组', kind: '加工中心' },
  { code: 'WC-SHEET', name: '激光切割/折弯组', kind: '钣金' },
  { code: 'WC-FINISH', name: '焊接/喷涂组', kind: '焊接喷涂' },
] as const;

type M = { code: string; name: string; wc: string; cost: string; eff?: number; capacity?: number };
export const DEMO_MACHINES: readonly M[] = [
  { code: 'CNC-01', name: '数控车床 CK6140 #1', wc: 'WC-CNC', cost: '65.00' },
  { code: 'CNC-02', name: '数控车床 CK6140 #2', wc: 'WC-CNC', cost: '65.00' },
  { code: 'CNC-03', name: '数控车床 CK6150', wc: 'WC-CNC', cost: '72.00', eff: 9500 },
  { code: 'CNC-04', name: '数控车床 CK6136 (旧)', wc: 'WC-CNC', cost: '50.00', eff: 8500 },
  { code: 'VMC-01', name: '立式加工中心 VMC850 #1', wc: 'WC-MC', cost: '95.00' },
  { code: 'VMC-02', name: '立式加工中心 VMC850 #2', wc: 'WC-MC', cost: '95.00' },
  { code: 'VMC-03', name: '四轴加工中心 VMC1160', wc: 'WC-MC', cost: '120.00', eff: 10500 },
  { code: 'LASER-01', name: '光纤激光切割机 3015 3kW', wc: 'WC-SHEET', cost: '180.00' },
  { code: 'BEND-01', name: '数控折弯机 WC67K-100T', wc: 'WC-SHEET', cost: '70.00' },
  { code: 'BEND-02', name: '数控折弯机 WC67K-160T', wc: 'WC-SHEET', cost: '85.00' },
  { code: 'WELD-01', name: '二保焊工位 NBC-350', wc: 'WC-FINISH', cost: '55.00', capacity: 2 },
  { code: 'PAINT-01', name: '静电喷塑线', wc: 'WC-FINISH', cost: '110.00' },
];

/** [component code, qty per, scrap basis points] */
type L = readonly [string, string, number?];
export const DEMO_BOMS: Readonly<Record<string, readonly L[]>> = {
  'FG-100100': [['SF-200100', '1']],
  'SF-200100': [['RM-300600', '2.1', 300]],
  'FG-100200': [['SF-200200', '1']],
  'SF-200200': [['RM-300600', '3.6', 300]],
  'FG-100300': [
    ['SF-200500', '1'],
    ['CM-500100', '0.08', 1000],
  ],
  'SF-200500': [['SF-200300', '1']],
  'SF-200300': [['RM-300300', '1.35', 500]],
  'FG-100400': [
    ['SF-200600', '1'],
    ['CM-500200', '0.1', 1000],
  ],
  'SF-200600': [['SF-200400', '1']],
  'SF-200400': [['RM-300400', '1.9', 500]],
  'FG-100500': [['SF-200700', '1']],
  'SF-200700': [['RM-300100', '1.6', 200]],
  'FG-100600': [['SF-200800', '1']],
  'SF-200800': [['RM-300200', '2.9', 200]],
  'FG-100700': [
    ['RM-300800', '1', 100],
    ['PP-400100', '1'],
  ],
  'FG-100800': [
    ['SF-201000', '1'],
    ['PP-400500', '1'],
    ['PP-400600', '2'],
  ],
  'SF-201000': [
    ['RM-300500', '6.8', 800],
    ['CM-500300', '0.15', 500],
  ],
  'FG-100900': [['SF-200900', '1']],
  'SF-200900': [['RM-300700', '1.2', 300]],
  'FG-101000': [
    ['RM-300600', '0.85', 600],
    ['PP-400200', '4'],
    ['PP-400300', '4'],
    ['PP-400400', '4'],
  ],
};

/** An operation: seq, name, work center, setup min, run min per unit, machines [code, run min] or none. */
export interface DemoOp {
  readonly seq: number;
  readonly name: string;
  readonly wc: string;
  readonly setup: number;
  readonly run: string;
  readonly on?: readonly (readonly [string, string])[];
  readonly after?: readonly number[];
  readonly tool?: string;
  readonly skill?: readonly [string, number];
  readonly firstArticle?: boolean;
  readonly batch?: string;
  readonly wait?: number;
}

const lathe = (seq: number, name: string, run: string, slow: string): DemoOp => ({
  seq,
  name,
  wc: 'WC-CNC',
  setup: 30,
  run,
  on: [
    ['CNC-01', run],
    ['CNC-02', run],
    ['CNC-03', run],
    ['CNC-04', slow],
  ],
  skill: ['CNC车', 3],
  firstArticle: true,
});
const laser = (run: string): DemoOp => ({
  seq: 10,
  name: '激光切割',
  wc: 'WC-SHEET',
  setup: 10,
  run,
  on: [['LASER-01', run]],
});
const bend = (seq: number, run: string, tool?: string): DemoOp => ({
  seq,
  name: '折弯',
  wc: 'WC-SHEET',
  setup: 20,
  run,
  on: [
    ['BEND-01', run],
    ['BEND-02', run],
  ],
  ...(tool ? { tool } : {}),
  skill: ['折弯', 3],
  firstArticle: true,
});
const paint = (run: string): DemoOp => ({
  seq: 10,
  name: '静电喷塑',
  wc: 'WC-FINISH',
  setup: 45,
  run,
  on: [['PAINT-01', run]],
  batch: '50',
  wait: 120,
});
const mill = (seq: number, name: string, run: string): DemoOp => ({
  seq,
  name,
  wc: 'WC-MC',
  setup: 40,
  run,
  skill: ['铣', 3],
});

export const DEMO_ROUTINGS: Readonly<Record<string, readonly DemoOp[]>> = {
  'SF-200100': [laser('1.8')],
  'SF-200200': [laser('2.6')],
  'FG-100100': [lathe(10, '车外圆及端面', '6.5', '8.2'), mill(20, '钻法兰孔', '3.2')],
  'FG-100200': [lathe(10, '车外圆及端面', '8.5', '10.5'), mill(20, '钻法兰孔', '4')],
  'SF-200300': [laser('0.9')],
  'SF-200400': [laser('1.1')],
  'SF-200500': [{ ...bend(10, '1.2', 'MD-0001') }],
  'SF-200600': [{ ...bend(10, '1.4', 'MD-0001') }],
  'FG-100300': [paint('0.6')],
  'FG-100400': [paint('0.7')],
  'SF-200700': [lathe(10, '粗车', '4.5', '5.6')],
  'SF-200800': [lathe(10, '粗车', '6', '7.5')],
  'FG-100500': [lathe(10, '精车', '5', '6.2'), mill(20, '铣键槽', '3')],
  'FG-100600': [lathe(10, '精车', '6.8', '8.4'), mill(20, '铣键槽', '3.5')],
  'FG-100700': [mill(10, '铣底面', '4.2'), mill(20, '镗轴承孔', '5.5')],
  'SF-201000': [
    laser('6'),
    { ...bend(20, '8'), after: [10] },
    { seq: 25, name: '打磨去毛刺', wc: 'WC-FINISH', setup: 5, run: '6', on: [['WELD-01', '6']], after: [10] },
    {
      seq: 30,
      name: '焊接',
      wc: 'WC-FINISH',
      setup: 30,
      run: '25',
      on: [['WELD-01', '25']],
      after: [20, 25],
      tool: 'FX-0003',
      skill: ['焊接', 4],
      firstArticle: true,
    },
  ],
  'FG-100800': [
    { seq: 10, name: '拉丝及装配', wc: 'WC-FINISH', setup: 15, run: '18', on: [['WELD-01', '18']] },
  ],
  'SF-200900': [lathe(10, '车齿坯', '7', '8.8')],
  'FG-100900': [
    {
      seq: 10,
      name: '铣齿',
      wc: 'WC-MC',
      setup: 60,
      run: '9',
      on: [['VMC-03', '9']],
      tool: 'TL-0001',
      skill: ['铣', 4],
      firstArticle: true,
    },
  ],
  'FG-101000': [
    { seq: 10, name: '激光切割', wc: 'WC-SHEET', setup: 10, run: '1.2', on: [['LASER-01', '1.2']] },
    { seq: 20, name: '装配螺栓', wc: 'WC-FINISH', setup: 5, run: '1.5', on: [['WELD-01', '1.5']], wait: 0 },
  ],
};
