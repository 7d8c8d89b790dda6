import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { FieldError } from '../errors.ts';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // Unknown fields are an error, never silently dropped.
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

// Query strings, params and headers arrive as text and are coerced; JSON bodies must carry the right types.
const bodyAjv = makeAjv(false);
const textAjv = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<FastifySchema>>;
};

function pointer(base: string, prop: string): string {
  return `${base}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Turns Ajv errors into field errors with JSON-pointer paths relative to the request part. */
export function fieldErrorsFromAjv(errors: readonly ErrorObject[], part: string | undefined): FieldError[] {
  const prefix = part && part !== 'body' ? `/${part}` : '';
  // A union of literals fails with one `const` error per literal: the values allowed at that field,
  // unless another kind of branch failed there too (then the union is not of literals only).
  const literals = new Map<string, unknown[] | null>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const at = literals.get(e.instancePath);
    if (e.keyword !== 'const') literals.set(e.instancePath, null);
    else if (at !== null) {
      literals.set(e.instancePath, [...(at ?? []), (e.params as { allowedValue: unknown }).allowedValue]);
    }
  }
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    let field = prefix + e.instancePath;
    let message = e.message ?? 'is invalid';
    let code = e.keyword;
    if (e.keyword === 'required') {
      field = pointer(field, String((e.params as { missingProperty: string }).missingProperty));
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      field = pointer(field, String((e.params as { additionalProperty: string }).additionalProperty));
      message = 'is not a known field';
      code = 'unknown_field';
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const allowed = literals.get(e.instancePath);
      message = allowed
        ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
        : 'does not match any allowed value';
    } else if (e.keyword === 'const' || e.keyword === 'enum') {
      const allowed = (e.params as { allowedValue?: unknown; allowedValues?: unknown[] }).allowedValues;
      if (allowed) message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    if (field === '') field = '/';
    const key = `${field}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message, code });
  }
  // For unions Ajv reports each branch; keep the summary when it names the same field as the branch errors.
  return out.filter(
    (f) => !(f.code === 'const' && out.some((o) => o.field === f.field && o.code === 'anyOf')),
  );
}
