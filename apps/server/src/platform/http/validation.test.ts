import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { fieldErrorsFromAjv, validatorCompiler } from './validation.ts';

type Validate = ((data: unknown) => boolean) & { errors?: Parameters<typeof fieldErrorsFromAjv>[0] | null };

const errorsOf = (schema: object, data: unknown, httpPart = 'querystring') => {
  const validate = validatorCompiler({ schema, httpPart, method: 'GET', url: '/' }) as unknown as Validate;
  assert.equal(validate(data), false);
  return fieldErrorsFromAjv(validate.errors ?? [], httpPart);
};

describe('field errors from schema validation', () => {
  it('names the values a union of literals allows', () => {
    const schema = Type.Object({
      status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('released')])),
    });
    assert.deepEqual(errorsOf(schema, { status: 'bogus' }), [
      { field: '/querystring/status', message: 'must be one of "draft", "released"', code: 'anyOf' },
    ]);
  });

  it('keeps the general message for a union of other kinds', () => {
    const schema = Type.Object({ note: Type.Union([Type.Literal('none'), Type.Integer()]) });
    assert.deepEqual(
      errorsOf(schema, { note: 'x' }, 'body').find((e) => e.code === 'anyOf'),
      { field: '/note', message: 'does not match any allowed value', code: 'anyOf' },
    );
  });
});
