import { useTerminalT } from './i18n.ts';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** A big numeric keypad for gloved fingers: 1–9, clear, 0, delete. */
export function Keypad({
  onKey,
  disabled = false,
}: {
  onKey: (key: string | 'clear' | 'backspace') => void;
  disabled?: boolean;
}) {
  const t = useTerminalT();
  return (
    <div className="tk-keypad">
      {DIGITS.map((d) => (
        <button key={d} type="button" className="tk-key" disabled={disabled} onClick={() => onKey(d)}>
          {d}
        </button>
      ))}
      <button
        type="button"
        className="tk-key tk-key-fn"
        disabled={disabled}
        onClick={() => onKey('clear')}
        aria-label={t('keypad.clear')}
      >
        {t('keypad.clear')}
      </button>
      <button type="button" className="tk-key" disabled={disabled} onClick={() => onKey('0')}>
        0
      </button>
      <button
        type="button"
        className="tk-key tk-key-fn"
        disabled={disabled}
        onClick={() => onKey('backspace')}
        aria-label={t('keypad.backspace')}
      >
        ⌫
      </button>
    </div>
  );
}

/**
 * Applies a keypad key to a digit string of at most `max` digits. Quantities drop a leading zero;
 * PINs keep every digit (`asCode`).
 */
export function applyKey(value: string, key: string, max: number, asCode = false): string {
  if (key === 'clear') return '';
  if (key === 'backspace') return value.slice(0, -1);
  if (!/^\d$/.test(key) || value.length >= max) return value;
  return value === '0' && !asCode ? key : value + key;
}
