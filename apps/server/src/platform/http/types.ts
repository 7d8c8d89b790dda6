import type { Ctx } from '../context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `module:action` the caller needs; every /api/v1 route declares one or is `public`. */
    permission?: string;
    public?: boolean;
  }
  interface FastifyRequest {
    ctx: Ctx;
    sessionToken: string | null;
  }
}
