import { type Static, Type } from 'typebox';

export const LoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const CurrentUser = Type.Object({
  id: Type.String(),
  login: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String({ description: 'module:action, e.g. admin:read' })),
});
export type CurrentUser = Static<typeof CurrentUser>;

export const SessionResponse = Type.Object({ user: CurrentUser, csrfToken: Type.String() });
export type SessionResponse = Static<typeof SessionResponse>;
