import type { ActorId, IsoTimestamp } from '@takt/domain';
import { nowIso } from './ids.ts';

/** Who is acting and on whose request: passed from the route into every service call. */
export interface Actor {
  readonly type: 'user' | 'token' | 'system';
  readonly id: string | null;
  readonly login: string;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<string>;
}

export interface Ctx {
  readonly actor: Actor;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export const SYSTEM_ACTOR: Actor = {
  type: 'system',
  id: null,
  login: 'system',
  roles: ['system'],
  permissions: new Set(['*']),
};

export function systemCtx(requestId: string | null = null): Ctx {
  return { actor: SYSTEM_ACTOR, requestId, ip: null, userAgent: null };
}

/** Who and when for a command to a domain state machine (which never reads a clock itself). */
export function domainCommand(
  ctx: Ctx,
  reason?: string,
): { actor: ActorId; at: IsoTimestamp; reason?: string } {
  return {
    actor: (ctx.actor.id ?? ctx.actor.login) as ActorId,
    at: nowIso() as IsoTimestamp,
    ...(reason ? { reason } : {}),
  };
}
