/**
 * Makes /terminal installable and able to start without network: links the web manifest while the
 * terminal is shown and registers the service worker that keeps the terminal shell (production builds
 * only; service workers need HTTPS or localhost).
 */
export function linkManifest(): () => void {
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = '/terminal.webmanifest';
  document.head.appendChild(link);
  return () => link.remove();
}

export async function registerTerminalWorker(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register('/terminal-sw.js', { scope: '/terminal' });
    const ready = await navigator.serviceWorker.ready;
    // The code this page already loaded came before the worker could see it: hand the list over.
    const urls = performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name))
      .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
      .map((u) => u.pathname);
    (ready.active ?? registration.active)?.postMessage({ type: 'cache-urls', urls });
  } catch (error) {
    console.warn('terminal service worker not registered', error);
  }
}
