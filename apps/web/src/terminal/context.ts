import type { CurrentUser } from '@takt/contracts';
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { type QueueSnapshot, queueSnapshot, subscribeQueue } from './queue.ts';

export interface TerminalSession {
  user: CurrentUser;
  /** Called on any 401: back to the badge screen, the queue is kept. */
  sessionEnded(): void;
  openQueue(): void;
}

export const TerminalContext = createContext<TerminalSession | null>(null);

export function useTerminal(): TerminalSession {
  const value = useContext(TerminalContext);
  if (!value) throw new Error('useTerminal outside the terminal');
  return value;
}

export function useQueue(): QueueSnapshot {
  return useSyncExternalStore(subscribeQueue, queueSnapshot);
}

/** `navigator.onLine`, kept current. It can say online while the server is unreachable; calls still decide. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

export function formatTime(iso: string | number | Date, language: string): string {
  return new Date(iso).toLocaleTimeString(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatDateTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
