import { useEffect, useRef, useState } from 'react';
import { useTerminalT } from './i18n.ts';

/** The parts of the Barcode Detection API used here (not in TypeScript's DOM library yet). */
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats?: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

const WANTED = ['qr_code', 'code_128', 'code_39', 'data_matrix', 'ean_13', 'itf'];

function detectorClass(): BarcodeDetectorClass | null {
  const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  return typeof ctor === 'function' ? ctor : null;
}

/** The camera button is offered only where the browser can read barcodes and open a camera. */
export function cameraScanAvailable(): boolean {
  return detectorClass() !== null && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/** Full-screen camera view that reads the first barcode it sees. */
export function CameraScanner({
  onDetected,
  onClose,
}: {
  onDetected: (text: string) => void;
  onClose: () => void;
}) {
  const t = useTerminalT();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const detectedRef = useRef(onDetected);
  detectedRef.current = onDetected;

  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    (async () => {
      try {
        const supported = (await Detector.getSupportedFormats?.()) ?? WANTED;
        const formats = WANTED.filter((f) => supported.includes(f));
        const detector = new Detector(formats.length ? { formats } : undefined);
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        const tick = async () => {
          if (stopped || !video.current) return;
          try {
            const found = await detector.detect(video.current);
            const text = found.find((b) => b.rawValue)?.rawValue;
            if (text) {
              stopped = true;
              detectedRef.current(text);
              return;
            }
          } catch {
            // a frame that could not be read; try the next one
          }
          timer = setTimeout(tick, 200);
        };
        void tick();
      } catch (e) {
        if (!stopped)
          setError(t('scan.cameraDenied', { message: e instanceof Error ? e.message : String(e) }));
      }
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [t]);

  return (
    <div className="tk-camera" role="dialog" aria-label={t('scan.cameraTitle')}>
      <div className="tk-camera-title">{t('scan.cameraTitle')}</div>
      <video ref={video} className="tk-camera-video" muted playsInline />
      {error ? <div className="tk-error">{error}</div> : null}
      <button type="button" className="tk-btn tk-btn-block" onClick={onClose}>
        {t('cancel')}
      </button>
    </div>
  );
}
