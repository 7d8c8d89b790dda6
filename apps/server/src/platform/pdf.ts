import fs from 'node:fs';
import PDFDocument from 'pdfkit';

/**
 * PDFs with Chinese text need a CJK font: the first one found among the usual
 * system fonts (Debian/Ubuntu fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei, Droid fallback)
 * is embedded as a subset. Without one, documents fall back to the built-in Helvetica with English
 * labels, and any character it cannot show becomes "?" — rather than failing.
 */
const CJK_FONTS: ReadonlyArray<readonly [file: string, family?: string]> = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
  ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 'WenQuanYiZenHei'],
  ['/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf'],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
];

let cjkFont: readonly [string, string | undefined] | null | undefined;

/** The CJK font in use, or null when the machine has none (looked up once). */
export function findCjkFont(candidates = CJK_FONTS): readonly [string, string | undefined] | null {
  if (cjkFont !== undefined && candidates === CJK_FONTS) return cjkFont;
  let found: readonly [string, string | undefined] | null = null;
  for (const [file, family] of candidates) {
    if (!fs.existsSync(file)) continue;
    try {
      new PDFDocument().registerFont('probe', file, family).font('probe');
      found = [file, family];
      break;
    } catch {
      // Not loadable (wrong family name in a collection, damaged file): try the next one.
    }
  }
  if (candidates === CJK_FONTS) cjkFont = found;
  return found;
}
