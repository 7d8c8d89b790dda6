import { ok, refuse, type Result } from './result.ts';

/**
 * Master data is typed by people switching between Chinese and Latin input methods, pasted from
 * Excel and WeChat. The same code then arrives as 'ＡＢ－００１', 'AB-001 ' or 'ab－001'. These
 * helpers make one canonical form so look-ups and uniqueness checks see through that.
 */

/** CJK punctuation without a full-width ASCII twin (those are handled by the code-point shift). */
const PUNCTUATION: Readonly<Record<string, string>> = {
  '\u3000': ' ', // ideographic space
  '。': '.',
  '、': ',',
  '【': '[',
  '】': ']',
  '〔': '(',
  '〕': ')',
  '「': '"',
  '」': '"',
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
  '—': '-',
  '–': '-',
  '―': '-',
  '‐': '-',
  '‑': '-',
  '−': '-',
  '〜': '~',
};

// Zero-width characters and the byte-order mark sneak in from Excel and web copies.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** Full-width ASCII (U+FF01–U+FF5E) and common CJK punctuation to their half-width forms. */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCodePoint(cp - 0xfee0);
    else out += PUNCTUATION[ch] ?? ch;
  }
  return out;
}

export interface NormaliseOptions {
  /** Codes are usually case-insensitive; names keep their case. Default false. */
  readonly upperCase?: boolean;
  /** 'collapse' keeps single spaces (names); 'remove' drops all whitespace (codes). Default 'collapse'. */
  readonly whitespace?: 'collapse' | 'remove';
}

/** Trim, drop invisible characters, half-width, collapse or remove inner whitespace, optional upper-case. */
export function normaliseText(text: string, options: NormaliseOptions = {}): string {
  const half = toHalfWidth(text.replace(INVISIBLE, ''));
  const spaced =
    options.whitespace === 'remove' ? half.replace(/\s+/g, '') : half.trim().replace(/\s+/g, ' ');
  return options.upperCase === true ? spaced.toUpperCase() : spaced;
}

export interface CodeRuleConfig {
  /** A regular expression source the whole normalised code must match (anchors are added). */
  readonly pattern: string;
  /** Human description shown when a code does not match, e.g. '2 letters, a dash, 4 digits (AB-0001)'. */
  readonly description: string;
  readonly upperCase?: boolean;
  readonly whitespace?: 'collapse' | 'remove';
  readonly maxLength?: number;
}

export interface CodeRule {
  readonly pattern: string;
  readonly description: string;
  readonly upperCase: boolean;
  readonly whitespace: 'collapse' | 'remove';
  readonly maxLength: number;
  readonly regex: RegExp;
}

export type CodeRuleCode = 'CODE_RULE_INVALID';
export type CodeCheckCode = 'CODE_EMPTY' | 'CODE_TOO_LONG' | 'CODE_PATTERN_MISMATCH';

/**
 * Compiles a rule once (they come from company settings). The pattern is checked here so a bad
 * setting is reported to the administrator who typed it, not to every user entering a code.
 */
export function compileCodeRule(config: CodeRuleConfig): Result<CodeRule, CodeRuleCode> {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${config.pattern})$`, 'u');
  } catch (error) {
    return refuse('CODE_RULE_INVALID', `Code pattern is not a valid regular expression: ${String(error)}`, {
      pattern: config.pattern,
    });
  }
  const maxLength = config.maxLength ?? 40;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    return refuse('CODE_RULE_INVALID', 'Code maximum length must be a positive integer', { maxLength });
  }
  return ok({
    pattern: config.pattern,
    description: config.description,
    upperCase: config.upperCase ?? true,
    whitespace: config.whitespace ?? 'remove',
    maxLength,
    regex,
  });
}

/** Letters, digits and . _ / -, starting with a letter or digit; upper-cased, no spaces. */
export const DEFAULT_CODE_RULE: CodeRule = {
  pattern: '[A-Z0-9][A-Z0-9._/-]*',
  description: 'letters A–Z, digits and . _ / -, starting with a letter or digit',
  upperCase: true,
  whitespace: 'remove',
  maxLength: 40,
  regex: /^(?:[A-Z0-9][A-Z0-9._/-]*)$/u,
};

/** Normalises a code and checks it against the rule; the value is the code to store. */
export function normaliseCode(
  input: string,
  rule: CodeRule = DEFAULT_CODE_RULE,
): Result<string, CodeCheckCode> {
  const code = normaliseText(input, { upperCase: rule.upperCase, whitespace: rule.whitespace });
  if (code.length === 0) return refuse('CODE_EMPTY', 'Code is empty', { input });
  if ([...code].length > rule.maxLength) {
    return refuse('CODE_TOO_LONG', `Code "${code}" is longer than ${rule.maxLength} characters`, {
      input,
      normalised: code,
      maxLength: rule.maxLength,
    });
  }
  if (!rule.regex.test(code)) {
    return refuse('CODE_PATTERN_MISMATCH', `Code "${code}" does not match the rule: ${rule.description}`, {
      input,
      normalised: code,
      pattern: rule.pattern,
      description: rule.description,
    });
  }
  return ok(code);
}

/** Names keep case and single spaces, with widths unified. */
export function normaliseName(input: string): string {
  return normaliseText(input);
}

// Spec notation varies by person: M8×20, M8*20, M8x20, M8X20 mean one thing; so do Φ10, φ10, Ø10.
const SPEC_EQUIVALENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[×*✕]/g, 'x'],
  [/[Φφ∅Øø]/g, 'φ'],
  [/[\s_-]+/g, ''],
];

/**
 * A key under which names that differ only in width, case, spacing, dashes or spec notation
 * collide, for "a similar item already exists" warnings. It is for warnings, never for uniqueness:
 * 'M8-20' and 'M820' share a key but may be different parts.
 */
export function nearDuplicateKey(name: string, spec = ''): string {
  const part = (text: string): string => {
    let key = normaliseText(text).toLowerCase();
    for (const [from, to] of SPEC_EQUIVALENTS) key = key.replace(from, to);
    return key;
  };
  return `${part(name)}|${part(spec)}`;
}

/** The existing records whose near-duplicate key equals the candidate's. */
export function findNearDuplicates<T>(
  candidate: { readonly name: string; readonly spec?: string },
  existing: readonly T[],
  nameAndSpec: (record: T) => { readonly name: string; readonly spec?: string },
): T[] {
  const key = nearDuplicateKey(candidate.name, candidate.spec);
  return existing.filter((record) => {
    const other = nameAndSpec(record);
    return nearDuplicateKey(other.name, other.spec) === key;
  });
}
