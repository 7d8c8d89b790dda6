import type {
  ExceptionListQuery,
  ExceptionRaise,
  ExceptionUpdate,
  FloorException,
  Leaderboard,
  PieceRate,
  PieceRateSet,
  PointsRulesBody,
  WageStatement,
} from '@takt/contracts';
import { API, buildUrl, request } from './client.ts';

const enc = encodeURIComponent;

export type ExceptionKindName = ExceptionRaise['kind'];
export const EXCEPTION_KINDS: readonly ExceptionKindName[] = ['breakdown', 'shortage', 'quality', 'tooling'];
export const EXCEPTION_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type ExceptionStateName = (typeof EXCEPTION_STATES)[number];

export const MACHINE_STATES = ['running', 'paused', 'waiting', 'idle', 'down'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

/** One machine of `GET /shopfloor/floor`: what it is doing now. */
export interface FloorMachine {
  machineId: string;
  code: string;
  name: string;
  workCenterId: string;
  status: string;
  state: MachineState | string;
  operation: {
    id: string;
    workOrderCode: string;
    itemCode: string;
    seq: number;
    name: string;
    status: string;
    operatorName: string | null;
    qtyPlanned: string;
    qtyGood: string;
    progress: number;
    since: string | null;
  } | null;
  queued: number;
  lastReportAt: string | null;
}

export function getFloor(workCenterId?: string, signal?: AbortSignal): Promise<FloorMachine[]> {
  return request<FloorMachine[]>(`${API}/shopfloor/floor`, { query: { workCenterId }, signal });
}

export function listExceptions(query: ExceptionListQuery, signal?: AbortSignal): Promise<FloorException[]> {
  return request<FloorException[]>(`${API}/exceptions`, { query: { ...query }, signal });
}

export function raiseException(body: ExceptionRaise): Promise<FloorException> {
  return request<FloorException>(`${API}/exceptions`, { method: 'POST', body });
}

export function updateException(id: string, body: ExceptionUpdate): Promise<FloorException> {
  return request<FloorException>(`${API}/exceptions/${enc(id)}`, { method: 'PATCH', body });
}

export function exceptionPhotoUrl(id: string): string {
  return `${API}/exceptions/${enc(id)}/photo`;
}

export interface Period {
  from: string;
  to: string;
}

/** The wage statement: every operator's totals and report lines, or (`lines: 'none'`) totals and counts only. */
export function getWages(
  period: Period,
  signal?: AbortSignal,
  options: { operatorId?: string; lines?: 'all' | 'none' } = {},
): Promise<WageStatement> {
  return request<WageStatement>(`${API}/shopfloor/wages`, {
    query: { ...period, ...options, format: 'json' },
    signal,
  });
}

export function wagesCsvUrl(period: Period): string {
  return buildUrl(`${API}/shopfloor/wages`, { ...period, format: 'csv' });
}

export function getLeaderboard(period: Period, signal?: AbortSignal): Promise<Leaderboard> {
  return request<Leaderboard>(`${API}/shopfloor/leaderboard`, { query: { ...period }, signal });
}

export function listPieceRates(signal?: AbortSignal): Promise<PieceRate[]> {
  return request<PieceRate[]>(`${API}/shopfloor/piece-rates`, { signal });
}

export function setPieceRate(body: PieceRateSet): Promise<PieceRate> {
  return request<PieceRate>(`${API}/shopfloor/piece-rates`, { method: 'PUT', body });
}

export function setPointsRules(body: PointsRulesBody): Promise<unknown> {
  return request<unknown>(`${API}/shopfloor/points-rules`, { method: 'PUT', body });
}
