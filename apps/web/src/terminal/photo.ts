/** The longest side of a photo sent with an exception. */
export const PHOTO_MAX_SIDE = 1280;
/** The server takes data URLs up to ~1.4 MB of text; stay well below 1 MB. */
export const PHOTO_MAX_CHARS = 1_000_000;

/** A camera photo made small enough to send: at most 1280 px on its longest side, JPEG, under 1 MB as a data URL. */
export async function shrinkPhoto(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  try {
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    let width = Math.max(1, Math.round(bitmap.width * scale));
    let height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    for (let attempt = 0; attempt < 6; attempt++) {
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no canvas');
      ctx.drawImage(bitmap, 0, 0, width, height);
      for (const quality of [0.82, 0.7, 0.55]) {
        const url = canvas.toDataURL('image/jpeg', quality);
        if (url.length <= PHOTO_MAX_CHARS) return url;
      }
      width = Math.max(1, Math.round(width * 0.75));
      height = Math.max(1, Math.round(height * 0.75));
    }
    throw new Error('photo too large');
  } finally {
    bitmap.close();
  }
}
