import type { CodeRule } from '@takt/contracts';
import { type CodeRule as Rule, normaliseCode } from '@takt/domain';
import { AppError } from '../../platform/errors.ts';

export interface LoadedRule {
  readonly dto: CodeRule;
  readonly rule: Rule;
}

/** Normalises `input` and checks it against the loaded rule; refuses with 400 naming `field`. */
export function applyRule(loaded: LoadedRule, input: string, field = '/code'): string {
  const result = normaliseCode(input, loaded.rule);
  if (result.ok) return result.value;
  const { pattern, example, entity } = loaded.dto;
  const message =
    result.code === 'CODE_PATTERN_MISMATCH'
      ? `Code "${String(result.details?.normalised ?? input)}" does not match the ${entity} code rule ${pattern}` +
        `${loaded.dto.description ? ` (${loaded.dto.description})` : ''}; for example ${example}`
      : `${result.message}; ${entity} codes look like ${example}`;
  throw new AppError('VALIDATION_FAILED', message, {
    fieldErrors: [{ field, message, code: result.code }],
    extra: { pattern, example },
  });
}
