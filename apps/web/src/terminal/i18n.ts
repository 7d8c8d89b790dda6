import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n, type Language } from '../i18n/index.ts';

const en = {
  appName: 'Takt Terminal',
  online: 'Online',
  offline: 'Offline',
  signOut: 'Sign out',
  language: '中文',
  back: 'Back',
  cancel: 'Cancel',
  confirm: 'OK',
  loading: 'Loading…',
  retry: 'Try again',
  signIn: {
    title: 'Sign in',
    badge: 'Badge',
    badgeHint: 'Scan your badge or type the badge number',
    next: 'Next',
    pin: 'PIN',
    pinHint: 'Enter your 4–6 digit PIN',
    submit: 'Sign in',
    changeBadge: 'Other badge',
    wrong: 'Badge or PIN is wrong',
    locked:
      'This badge is locked after too many wrong PINs. Try again after {{time}} or ask your supervisor.',
    lockedNoTime: 'This badge is locked after too many wrong PINs. Try again in 15 minutes.',
    tooMany: 'Too many attempts. Wait a minute and try again.',
    badBadge: 'That does not look like a badge number',
    expired: 'Signed out after 15 idle minutes. Scan your badge to continue.',
    sessionEnded: 'The session has ended. Sign in again; queued reports are kept.',
    offline: 'No network. Sign-in needs the server; queued reports are kept on this device.',
  },
  keypad: { clear: 'Clear', backspace: 'Delete' },
  scan: {
    title: 'Scan a work order or operation',
    hint: 'Scan the barcode on the job card',
    camera: 'Camera',
    manual: 'Type a code',
    manualTitle: 'Work order code or operation',
    manualPlaceholder: 'WO-… / OP:…',
    open: 'Open',
    notFound: 'Nothing found for “{{code}}”',
    cameraTitle: 'Point the camera at the barcode',
    cameraDenied: 'The camera cannot be used: {{message}}',
    chooseOperation: 'Choose an operation',
    noOperations: 'This work order has no operations to work on.',
  },
  op: {
    workOrder: 'Work order',
    item: 'Item',
    operation: 'Operation',
    planned: 'Planned',
    plannedMinutes: '{{minutes}} min',
    good: 'Good',
    scrap: 'Scrap',
    queuedExtra: '+{{qty}} queued',
    status: 'Status',
    start: 'Start',
    pause: 'Pause',
    resume: 'Resume',
    report: 'Report',
    complete: 'Complete',
    scanNext: 'Next job',
    pauseReason: 'Why pause?',
    confirmComplete: 'Complete operation {{seq}} {{name}}?',
    completeQueued: 'Send the queued reports of this operation first.',
    offlineAction:
      'No network: start, pause, resume and complete need the server. Reports can still be taken.',
    started: 'Started',
    paused: 'Paused',
    resumed: 'Resumed',
    completed: 'Completed',
    actionAt: 'at {{time}}',
    nothingToDo: 'Nothing to do on this operation in its current status.',
  },
  status: {
    pending: 'Waiting',
    ready: 'Ready',
    dispatched: 'Dispatched',
    dispatch_failed: 'Dispatch failed',
    in_progress: 'Running',
    paused: 'Paused',
    completed: 'Completed',
    on_hold: 'On hold',
    cancelled: 'Cancelled',
  },
  pauseReasons: {
    SETUP: 'Changeover',
    WAIT_MATERIAL: 'Waiting for material',
    BREAKDOWN: 'Machine breakdown',
    QUALITY: 'Quality problem',
    BREAK: 'Break',
    OTHER: 'Other',
  },
  scrapReasons: {
    DIMENSION: 'Out of tolerance',
    APPEARANCE: 'Surface defect',
    MATERIAL: 'Material defect',
    SETUP_SCRAP: 'Setup scrap',
    OTHER: 'Other',
  },
  report: {
    title: 'Report output',
    good: 'Good',
    scrap: 'Scrap',
    scrapReason: 'Scrap reason',
    needReason: 'Choose a scrap reason',
    needQty: 'Enter a good or scrap quantity',
    submit: 'Report',
    sent: 'Reported: good {{good}}, scrap {{scrap}}',
    queued: 'Saved on this device; it is sent when the network is back',
    failed: 'Not accepted by the server',
  },
  queue: {
    title: 'Reports to send',
    badge: 'Queue',
    empty: 'Everything has been sent.',
    pending: 'Waiting to send',
    failed: 'Refused',
    sending: 'Sending…',
    sendNow: 'Send now',
    discard: 'Discard',
    retry: 'Send again',
    confirmDiscard: 'Discard this report? It will not be counted.',
    takenAt: 'Taken {{time}} by {{name}}',
    attempts: '{{count}} attempts',
    sentCount: '{{count}} queued reports sent',
    signInToSend: 'Sign in to send the queued reports',
  },
  exception: {
    button: 'Problem',
    title: 'What is wrong?',
    kinds: {
      breakdown: 'Machine breakdown',
      shortage: 'Material shortage',
      quality: 'Quality problem',
      tooling: 'Tooling problem',
    },
    machine: 'Which machine?',
    item: 'Which material is short?',
    note: 'Note (optional)',
    notePlaceholder: 'What happened?',
    photo: 'Take a photo',
    retakePhoto: 'Another photo',
    removePhoto: 'Remove photo',
    photoFailed: 'The photo could not be read. Try again.',
    send: 'Send',
    sending: 'Sending…',
    sent: '{{code}} sent: {{kind}}. Your supervisor has been told.',
    offline: 'No network: a problem can only be reported online. Tell your supervisor in person.',
    needMachine: 'Choose the machine.',
    needItem: 'Choose the material that is short.',
    scanFirst: 'Scan the job card first to choose the material.',
  },
  problems: {
    MACHINE_DOWN: 'The machine is down. Tell maintenance or your supervisor.',
    PREVIOUS_OPERATION_NOT_DONE: 'The previous operation is not finished yet.',
    WORK_ORDER_NOT_ACTIVE: 'The work order is not released or is on hold.',
    OPERATOR_NOT_QUALIFIED: 'You are not qualified for this operation.',
    MATERIAL_NOT_ISSUED: 'Materials have not been issued to this work order.',
    FIRST_ARTICLE_PENDING: 'The first-article inspection has not passed yet.',
    FIRST_ARTICLE_FAILED: 'The first-article inspection failed.',
    INVALID_TRANSITION: 'Not possible in the current status. The screen has been refreshed.',
    PLANNED_QTY_NOT_REACHED:
      'Good quantity is below the planned quantity. Ask your supervisor to close short.',
    OUTPUT_NOT_ALLOWED: 'Output can only be reported while the operation is running or paused.',
    REPORTED_QTY_NEGATIVE: 'The total would become negative.',
    REASON_REQUIRED: 'A reason is required.',
    IDEMPOTENCY_KEY_REUSED: 'This report was already used for another operation.',
    VALIDATION_FAILED: 'The server refused the values.',
    NOT_FOUND: 'Not found.',
    FORBIDDEN: 'This badge may not do that.',
    NETWORK: 'The server cannot be reached. Check the Wi-Fi and try again.',
    UNKNOWN: 'Refused by the server ({{code}})',
  },
};

type Resources = typeof en;

const zhCN: Resources = {
  appName: '塔克特终端',
  online: '在线',
  offline: '离线',
  signOut: '退出',
  language: 'EN',
  back: '返回',
  cancel: '取消',
  confirm: '确定',
  loading: '加载中…',
  retry: '重试',
  signIn: {
    title: '登录',
    badge: '工牌',
    badgeHint: '请扫描工牌，或输入工牌号',
    next: '下一步',
    pin: '密码',
    pinHint: '请输入 4–6 位数字密码',
    submit: '登录',
    changeBadge: '换工牌',
    wrong: '工牌或密码错误',
    locked: '密码错误次数过多，工牌已锁定。请在 {{time}} 后再试，或联系班组长。',
    lockedNoTime: '密码错误次数过多，工牌已锁定。请 15 分钟后再试。',
    tooMany: '尝试次数过多，请稍等一分钟再试。',
    badBadge: '工牌号格式不对',
    expired: '空闲 15 分钟已自动退出，请重新扫描工牌。',
    sessionEnded: '登录已失效，请重新登录；待上传的报工仍保留。',
    offline: '没有网络，登录需要连接服务器；待上传的报工保存在本机。',
  },
  keypad: { clear: '清空', backspace: '删除' },
  scan: {
    title: '扫描工单或工序',
    hint: '请扫描工单卡上的条码',
    camera: '摄像头',
    manual: '手动输入',
    manualTitle: '工单号或工序码',
    manualPlaceholder: 'WO-… / OP:…',
    open: '打开',
    notFound: '未找到“{{code}}”',
    cameraTitle: '将摄像头对准条码',
    cameraDenied: '无法使用摄像头：{{message}}',
    chooseOperation: '选择工序',
    noOperations: '该工单没有可执行的工序。',
  },
  op: {
    workOrder: '工单',
    item: '物料',
    operation: '工序',
    planned: '计划数',
    plannedMinutes: '{{minutes}} 分钟',
    good: '良品',
    scrap: '废品',
    queuedExtra: '+{{qty}} 待上传',
    status: '状态',
    start: '开工',
    pause: '暂停',
    resume: '恢复',
    report: '报工',
    complete: '完工',
    scanNext: '下一个任务',
    pauseReason: '暂停原因',
    confirmComplete: '确认完工：工序 {{seq}} {{name}}？',
    completeQueued: '请先上传本工序待上传的报工。',
    offlineAction: '没有网络：开工、暂停、恢复、完工需要连接服务器。报工可以离线保存。',
    started: '已开工',
    paused: '已暂停',
    resumed: '已恢复',
    completed: '已完工',
    actionAt: '时间 {{time}}',
    nothingToDo: '此工序当前状态下无可执行操作。',
  },
  status: {
    pending: '未就绪',
    ready: '就绪',
    dispatched: '已派工',
    dispatch_failed: '派工失败',
    in_progress: '加工中',
    paused: '已暂停',
    completed: '已完工',
    on_hold: '已挂起',
    cancelled: '已取消',
  },
  pauseReasons: {
    SETUP: '换模',
    WAIT_MATERIAL: '待料',
    BREAKDOWN: '设备故障',
    QUALITY: '质量问题',
    BREAK: '休息',
    OTHER: '其他',
  },
  scrapReasons: {
    DIMENSION: '尺寸超差',
    APPEARANCE: '外观不良',
    MATERIAL: '材料缺陷',
    SETUP_SCRAP: '调机废品',
    OTHER: '其他',
  },
  report: {
    title: '报工',
    good: '良品',
    scrap: '废品',
    scrapReason: '废品原因',
    needReason: '请选择废品原因',
    needQty: '请输入良品或废品数量',
    submit: '提交报工',
    sent: '报工成功：良品 {{good}}，废品 {{scrap}}',
    queued: '已保存在本机，联网后自动上传',
    failed: '服务器未接受',
  },
  queue: {
    title: '待上传报工',
    badge: '待传',
    empty: '全部已上传。',
    pending: '等待上传',
    failed: '被拒绝',
    sending: '上传中…',
    sendNow: '立即上传',
    discard: '作废',
    retry: '重新上传',
    confirmDiscard: '作废这条报工？作废后不计数。',
    takenAt: '{{time}} 由 {{name}} 报工',
    attempts: '已尝试 {{count}} 次',
    sentCount: '已上传 {{count}} 条离线报工',
    signInToSend: '请登录后上传待传报工',
  },
  exception: {
    button: '异常',
    title: '出了什么问题？',
    kinds: {
      breakdown: '设备故障',
      shortage: '缺料',
      quality: '质量问题',
      tooling: '工装问题',
    },
    machine: '哪台设备？',
    item: '缺哪种物料？',
    note: '说明（可选）',
    notePlaceholder: '发生了什么？',
    photo: '拍照',
    retakePhoto: '重拍',
    removePhoto: '删除照片',
    photoFailed: '照片无法读取，请重试。',
    send: '上报',
    sending: '上报中…',
    sent: '{{code}} 已上报：{{kind}}。已通知班组长。',
    offline: '没有网络：异常只能在线上报，请直接告知班组长。',
    needMachine: '请选择设备。',
    needItem: '请选择缺少的物料。',
    scanFirst: '请先扫描工单卡，再选择物料。',
  },
  problems: {
    MACHINE_DOWN: '设备故障停机中，请联系设备维修或班组长。',
    PREVIOUS_OPERATION_NOT_DONE: '上道工序尚未完成。',
    WORK_ORDER_NOT_ACTIVE: '工单未下达或已挂起。',
    OPERATOR_NOT_QUALIFIED: '您没有此工序的上岗资格。',
    MATERIAL_NOT_ISSUED: '该工单尚未领料。',
    FIRST_ARTICLE_PENDING: '首件检验尚未通过。',
    FIRST_ARTICLE_FAILED: '首件检验不合格。',
    INVALID_TRANSITION: '当前状态下不能执行此操作，已刷新。',
    PLANNED_QTY_NOT_REACHED: '良品数未达到计划数，请联系班组长做短缺完工。',
    OUTPUT_NOT_ALLOWED: '只有加工中或暂停的工序才能报工。',
    REPORTED_QTY_NEGATIVE: '累计数量不能为负。',
    REASON_REQUIRED: '需要填写原因。',
    IDEMPOTENCY_KEY_REUSED: '这条报工已用于其他工序。',
    VALIDATION_FAILED: '服务器拒绝了输入的数值。',
    NOT_FOUND: '未找到。',
    FORBIDDEN: '此工牌无权执行该操作。',
    NETWORK: '无法连接服务器，请检查无线网络后重试。',
    UNKNOWN: '服务器拒绝（{{code}}）',
  },
};

export const TERMINAL_NS = 'terminal';
i18n.addResourceBundle('en', TERMINAL_NS, en, true, true);
i18n.addResourceBundle('zh-CN', TERMINAL_NS, zhCN, true, true);

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type TerminalKey = Leaves<Resources>;
export type TerminalT = (key: TerminalKey, options?: Record<string, unknown>) => string;

export function hasTerminalKey(key: string): boolean {
  // The namespace is not part of the app's typed resources, so it is named through a plain string.
  return (i18n.exists as (k: string, o: { ns: string }) => boolean)(key, { ns: TERMINAL_NS });
}

/** Translations of the terminal namespace; re-renders on a language change. */
export function useTerminalT(): TerminalT {
  const { i18n: instance } = useTranslation();
  const language = instance.resolvedLanguage;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new function per language re-renders users
  return useCallback<TerminalT>(
    (key, options) =>
      (instance.t as unknown as (k: string, o: Record<string, unknown>) => string)(key, {
        ...options,
        ns: TERMINAL_NS,
      }),
    [instance, language],
  );
}

const LANGUAGE_KEY = 'takt.terminal.language';

/** The terminal speaks Chinese unless someone switched it to English on this device. */
export function terminalLanguage(): Language {
  try {
    return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export async function setTerminalLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // not remembered, still switched
  }
  await i18n.changeLanguage(language);
}
