import type { Calendar, Machine, MachineAvailability, MachineStatus, WorkCenter } from '@takt/contracts';
import { Alert, App, Badge, Flex, Input, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import {
  calendarsApi,
  machineAvailability,
  machinesApi,
  type ResourceApi,
  setMachineStatus,
  type Versioned,
  workCentersApi,
} from '../../api/masterdata.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { AvailabilityTimeline, startOfToday } from '../../components/AvailabilityTimeline.tsx';
import {
  cleanCustomFields,
  customFieldsField,
  filledCustomFields,
} from '../../components/customFields/CustomFields.tsx';
import { EntityListPage } from '../../components/entity/EntityListPage.tsx';
import { ListField } from '../../components/entity/ListField.tsx';
import type { EntityConfig } from '../../components/entity/types.ts';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { activeField, codeAndName, trimmed } from './common.tsx';

type RefApi = ResourceApi<Versioned & { code: string; name: string }>;
const calendarRef = calendarsApi as unknown as RefApi;
const workCenterRef = workCentersApi as unknown as RefApi;

/** Shows a referenced record's code, looked up once per id. */
function RefCode({ api, id }: { api: RefApi; id: string | null }) {
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    const cached = refCache.get(id);
    if (cached) {
      setCode(cached);
      return;
    }
    api
      .get(id, controller.signal)
      .then((r) => {
        refCache.set(id, r.code);
        setCode(r.code);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [api, id]);
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  return <span className="takt-mono">{code ?? '…'}</span>;
}
const refCache = new Map<string, string>();

interface WorkCenterForm {
  code: string;
  name: string;
  kind: string;
  calendarId: string | null;
  active: boolean;
}

export function WorkCentersPage() {
  const { t } = useTranslation();
  const config = useMemo<EntityConfig<WorkCenter, WorkCenterForm>>(
    () => ({
      api: workCentersApi,
      topic: 'work_center',
      sheet: 'work-centers',
      texts: {
        title: t('workCenters.title'),
        subtitle: t('workCenters.subtitle'),
        create: t('workCenters.new'),
        edit: (code) => t('workCenters.edit', { code }),
        noun: t('workCenters.noun'),
      },
      columnsWidth: 200 + 160,
      columns: [
        { key: 'kind', dataIndex: 'kind', title: t('workCenters.kind'), width: 200, ellipsis: true },
        {
          key: 'calendar',
          dataIndex: 'calendarId',
          title: t('workCenters.calendar'),
          width: 160,
          render: (id: string | null) => <RefCode api={calendarRef} id={id} />,
        },
      ],
      fields: [
        ...codeAndName(t),
        {
          name: 'kind',
          label: t('workCenters.kind'),
          max: 60,
          placeholder: t('workCenters.kindPlaceholder'),
        },
        {
          name: 'calendarId',
          label: t('workCenters.calendar'),
          help: t('workCenters.calendarHelp'),
          control: <RefSelect api={calendarRef} allowClear aria-label={t('workCenters.calendar')} />,
        },
        activeField(t),
      ],
      toForm: (w) => ({
        code: w?.code ?? '',
        name: w?.name ?? '',
        kind: w?.kind ?? '',
        calendarId: w?.calendarId ?? null,
        active: w?.active ?? true,
      }),
      toBody: (v, editing) =>
        editing
          ? {
              name: trimmed(v.name),
              kind: trimmed(v.kind),
              calendarId: v.calendarId ?? null,
              active: v.active,
            }
          : {
              code: trimmed(v.code),
              name: trimmed(v.name),
              kind: trimmed(v.kind),
              ...(v.calendarId ? { calendarId: v.calendarId } : {}),
            },
    }),
    [t],
  );
  return <EntityListPage config={config} />;
}

const STATUSES: MachineStatus[] = ['up', 'down', 'maintenance'];
const STATUS_BADGE = { up: 'success', down: 'error', maintenance: 'warning' } as const;

interface MachineForm {
  code: string;
  name: string;
  workCenterId: string | null;
  capacity: number | null;
  efficiencyPct: number | null;
  hourlyCost: string;
  status: MachineStatus;
  calendarId: string | null;
  customFields: Record<string, unknown>;
  active: boolean;
}

/** Status (with a reason) and the hours the machine can work over the next seven days. */
function MachineDetail({ machine, replace }: { machine: Machine; replace: (m: Machine) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canSet = can('masterdata:update') || can('production:execute');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [statusError, setStatusError] = useState<ApiError | null>(null);
  const [availability, setAvailability] = useState<MachineAvailability | null>(null);
  const [availError, setAvailError] = useState<ApiError | null>(null);
  const from = useMemo(() => startOfToday(), []);

  const load = useCallback(
    (signal?: AbortSignal) => {
      const to = new Date(from);
      to.setDate(to.getDate() + 7);
      setAvailError(null);
      machineAvailability(machine.id, from.toISOString(), to.toISOString(), signal)
        .then(setAvailability)
        .catch((e: unknown) => {
          if (!isAbortError(e)) setAvailError(asApiError(e));
        });
    },
    [machine.id, from],
  );
  // reload when the machine changes (status, calendar)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version is the trigger
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load, machine.version]);

  const change = async (status: MachineStatus) => {
    setBusy(true);
    setStatusError(null);
    try {
      const saved = await setMachineStatus(machine.id, {
        version: machine.version,
        status,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      message.success(
        t('machines.statusChanged', { code: saved.code, status: t(`machines.statuses.${status}`) }),
      );
      setReason('');
      replace(saved);
    } catch (e) {
      setStatusError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={8}>
      <Typography.Title level={5} className="takt-section-title">
        {t('machines.statusTitle')}
      </Typography.Title>
      <Space wrap>
        <Segmented<MachineStatus>
          value={machine.status}
          disabled={!canSet || busy}
          onChange={(s) => void change(s)}
          options={STATUSES.map((s) => ({
            value: s,
            label: <Badge status={STATUS_BADGE[s]} text={t(`machines.statuses.${s}`)} />,
          }))}
        />
        <Input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={200}
          placeholder={t('machines.reason')}
          aria-label={t('machines.reason')}
          disabled={!canSet || busy}
          style={{ width: 240 }}
        />
      </Space>
      {statusError ? <Alert type="error" showIcon title={problemText(t, statusError)} /> : null}
      <Typography.Title level={5} className="takt-section-title">
        {t('machines.availability')}
      </Typography.Title>
      <Typography.Text type="secondary" className="takt-small">
        {t('machines.availabilityHint')}
        {availability
          ? ` · ${t('machines.totalHours', { n: Math.round((availability.totalMinutes / 60) * 10) / 10 })}`
          : ''}
      </Typography.Text>
      {availError ? (
        <ProblemAlert
          error={availError}
          title={availError.code === 'INVALID_STATE' ? t('machines.noCalendar') : t('errors.loadFailed')}
        />
      ) : availability ? (
        <AvailabilityTimeline from={from} days={7} intervals={availability.intervals} />
      ) : (
        <Spin />
      )}
    </Flex>
  );
}

export function MachinesPage() {
  const { t } = useTranslation();
  const config = useMemo<EntityConfig<Machine, MachineForm>>(
    () => ({
      api: machinesApi,
      topic: 'machine',
      sheet: 'machines',
      customFields: 'machines',
      drawerWidth: 680,
      texts: {
        title: t('machines.title'),
        subtitle: t('machines.subtitle'),
        create: t('machines.new'),
        edit: (code) => t('machines.edit', { code }),
        noun: t('machines.noun'),
      },
      columnsWidth: 120 + 130 + 90 + 100 + 110,
      columns: [
        {
          key: 'status',
          dataIndex: 'status',
          title: t('machines.status'),
          width: 120,
          render: (s: MachineStatus) => <Badge status={STATUS_BADGE[s]} text={t(`machines.statuses.${s}`)} />,
        },
        {
          key: 'wc',
          dataIndex: 'workCenterId',
          title: t('machines.workCenter'),
          width: 130,
          render: (id: string) => <RefCode api={workCenterRef} id={id} />,
        },
        { key: 'capacity', dataIndex: 'capacity', title: t('machines.capacity'), width: 90, align: 'right' },
        {
          key: 'eff',
          dataIndex: 'efficiencyBp',
          title: t('machines.efficiency'),
          width: 100,
          align: 'right',
          render: (bp: number) => <span className="takt-num">{bp / 100} %</span>,
        },
        {
          key: 'cost',
          dataIndex: 'hourlyCost',
          title: t('machines.hourlyCost'),
          width: 110,
          align: 'right',
          render: (v: string) => <span className="takt-num">{v}</span>,
        },
      ],
      filters: [
        {
          key: 'status',
          label: t('machines.status'),
          options: STATUSES.map((s) => ({ value: s, label: t(`machines.statuses.${s}`) })),
        },
        {
          key: 'workCenterId',
          label: t('machines.workCenter'),
          render: (value, set) => (
            <RefSelect
              api={workCenterRef}
              allowClear
              className="takt-ref-filter"
              placeholder={t('machines.workCenter')}
              aria-label={t('machines.workCenter')}
              value={value ?? null}
              onChange={(v) => set(typeof v === 'string' ? v : undefined)}
            />
          ),
        },
      ],
      fields: [
        ...codeAndName(t),
        {
          name: 'workCenterId',
          label: t('machines.workCenter'),
          required: true,
          span: 12,
          control: <RefSelect api={workCenterRef} aria-label={t('machines.workCenter')} />,
        },
        {
          name: 'calendarId',
          label: t('machines.calendar'),
          span: 12,
          help: t('machines.calendarHelp'),
          control: <RefSelect api={calendarRef} allowClear aria-label={t('machines.calendar')} />,
        },
        {
          name: 'capacity',
          label: t('machines.capacity'),
          kind: 'int',
          min: 1,
          max: 1000,
          span: 8,
          help: t('machines.capacityHelp'),
        },
        {
          name: 'efficiencyPct',
          label: t('machines.efficiencyPct'),
          kind: 'int',
          min: 1,
          max: 1000,
          span: 8,
        },
        { name: 'hourlyCost', label: t('machines.hourlyCost'), kind: 'money', span: 8 },
        {
          name: 'status',
          label: t('machines.status'),
          kind: 'select',
          createOnly: true,
          span: 12,
          options: STATUSES.map((s) => ({ value: s, label: t(`machines.statuses.${s}`) })),
        },
        customFieldsField('machines'),
        activeField(t),
      ],
      rename: { efficiencyBp: 'efficiencyPct' },
      toForm: (m) => ({
        code: m?.code ?? '',
        name: m?.name ?? '',
        workCenterId: m?.workCenterId ?? null,
        capacity: m?.capacity ?? 1,
        efficiencyPct: m ? m.efficiencyBp / 100 : 100,
        hourlyCost: m?.hourlyCost ?? '',
        status: m?.status ?? 'up',
        calendarId: m?.calendarId ?? null,
        customFields: { ...(m?.customFields ?? {}) },
        active: m?.active ?? true,
      }),
      toBody: (v, editing) => {
        const common = {
          name: trimmed(v.name),
          workCenterId: v.workCenterId ?? '',
          ...(v.capacity != null ? { capacity: v.capacity } : {}),
          ...(v.efficiencyPct != null ? { efficiencyBp: Math.round(v.efficiencyPct * 100) } : {}),
          ...(trimmed(v.hourlyCost) ? { hourlyCost: trimmed(v.hourlyCost) } : {}),
        };
        return editing
          ? {
              ...common,
              calendarId: v.calendarId ?? null,
              customFields: cleanCustomFields(v.customFields),
              active: v.active,
            }
          : {
              code: trimmed(v.code),
              ...common,
              status: v.status,
              ...(v.calendarId ? { calendarId: v.calendarId } : {}),
              customFields: filledCustomFields(v.customFields),
            };
      },
      detail: (machine, replace) => <MachineDetail machine={machine} replace={replace} />,
    }),
    [t],
  );
  return <EntityListPage config={config} />;
}

interface CalendarForm {
  code: string;
  name: string;
  timeZone: string;
  shifts: { weekday: number; start: string; end: string }[];
  exceptions: { date: string; kind: 'holiday' | 'workday'; name: string; asWeekday: number | null }[];
  active: boolean;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function CalendarsPage() {
  const { t } = useTranslation();
  const weekdayName = useCallback(
    (d: number) =>
      (t('calendars.weekdays', { returnObjects: true }) as readonly string[])[d - 1] ?? String(d),
    [t],
  );
  const config = useMemo<EntityConfig<Calendar, CalendarForm>>(
    () => ({
      api: calendarsApi,
      topic: 'calendar',
      drawerWidth: 720,
      texts: {
        title: t('calendars.title'),
        subtitle: t('calendars.subtitle'),
        create: t('calendars.new'),
        edit: (code) => t('calendars.edit', { code }),
        noun: t('calendars.noun'),
      },
      columnsWidth: 140 + 320 + 200,
      columns: [
        { key: 'tz', dataIndex: 'timeZone', title: t('calendars.timeZone'), width: 140 },
        {
          key: 'shifts',
          title: t('calendars.shifts'),
          width: 320,
          render: (_, c) => {
            const byTime = new Map<string, number[]>();
            for (const s of c.shifts) {
              const key = `${s.start}–${s.end}`;
              byTime.set(key, [...(byTime.get(key) ?? []), s.weekday]);
            }
            return (
              <Space size={[4, 4]} wrap>
                {[...byTime.entries()].map(([time, days]) => (
                  <Tag key={time}>
                    {days.map(weekdayName).join(' ')} {time}
                  </Tag>
                ))}
              </Space>
            );
          },
        },
        {
          key: 'exceptions',
          title: t('calendars.exceptions'),
          width: 200,
          render: (_, c) => {
            const holidays = c.exceptions.filter((e) => e.kind === 'holiday').length;
            const workdays = c.exceptions.length - holidays;
            return t('calendars.exceptionCount', { holidays, workdays });
          },
        },
      ],
      fields: [
        ...codeAndName(t),
        { name: 'timeZone', label: t('calendars.timeZone'), required: true, max: 64, span: 10 },
        {
          name: 'shifts',
          label: t('calendars.shifts'),
          render: () => (
            <ListField
              name="shifts"
              label={t('calendars.shifts')}
              addLabel={t('calendars.addShift')}
              max={70}
              newRow={() => ({ weekday: 1, start: '08:00', end: '17:00' })}
              fields={[
                {
                  name: 'weekday',
                  label: t('calendars.weekday'),
                  kind: 'select',
                  required: true,
                  width: 120,
                  options: WEEKDAYS.map((d) => ({ value: d, label: weekdayName(d) })),
                },
                { name: 'start', label: t('calendars.start'), kind: 'time', required: true, width: 110 },
                { name: 'end', label: t('calendars.end'), kind: 'time', required: true, width: 110 },
              ]}
            />
          ),
        },
        {
          name: 'exceptions',
          label: t('calendars.exceptions'),
          render: () => (
            <ListField
              name="exceptions"
              label={t('calendars.exceptions')}
              addLabel={t('calendars.addException')}
              max={2000}
              newRow={() => ({ date: '', kind: 'holiday', name: '', asWeekday: null })}
              fields={[
                { name: 'date', label: t('calendars.date'), kind: 'date', required: true, width: 150 },
                {
                  name: 'kind',
                  label: t('calendars.kind'),
                  kind: 'select',
                  required: true,
                  width: 130,
                  options: [
                    { value: 'holiday', label: t('calendars.holiday') },
                    { value: 'workday', label: t('calendars.workday') },
                  ],
                },
                { name: 'name', label: t('calendars.exceptionName'), max: 100, width: 140 },
                {
                  name: 'asWeekday',
                  label: t('calendars.asWeekday'),
                  kind: 'select',
                  width: 120,
                  options: WEEKDAYS.map((d) => ({ value: d, label: weekdayName(d) })),
                },
              ]}
            />
          ),
        },
        activeField(t),
      ],
      toForm: (c) => ({
        code: c?.code ?? '',
        name: c?.name ?? '',
        timeZone: c?.timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai'),
        shifts:
          c?.shifts.map((s) => ({ ...s })) ??
          [1, 2, 3, 4, 5].map((d) => ({ weekday: d, start: '08:00', end: '17:00' })),
        exceptions:
          c?.exceptions.map((e) => ({
            date: e.date,
            kind: e.kind,
            name: e.name ?? '',
            asWeekday: e.asWeekday ?? null,
          })) ?? [],
        active: c?.active ?? true,
      }),
      toBody: (v, editing) => ({
        ...(editing ? {} : { code: trimmed(v.code) }),
        name: trimmed(v.name),
        timeZone: trimmed(v.timeZone),
        shifts: (v.shifts ?? []).map((s) => ({ weekday: s.weekday, start: s.start, end: s.end })),
        // kept in the form's order, so errors like /exceptions/3/date land on the right row
        exceptions: (v.exceptions ?? []).map((e) => ({
          date: e.date,
          kind: e.kind,
          ...(trimmed(e.name) ? { name: trimmed(e.name) } : {}),
          ...(e.kind === 'workday' && e.asWeekday ? { asWeekday: e.asWeekday } : {}),
        })),
        ...(editing ? { active: v.active } : {}),
      }),
    }),
    [t, weekdayName],
  );
  return <EntityListPage config={config} />;
}
