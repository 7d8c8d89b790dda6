import type { Job, JobListQuery, JobStats, PageOf, RecurringSchedule } from '@takt/contracts';
import { API, request } from './client.ts';

export function listJobs(query: JobListQuery, signal?: AbortSignal): Promise<PageOf<Job>> {
  return request<PageOf<Job>>(`${API}/admin/jobs`, { query: { ...query }, signal });
}

export function getJobStats(signal?: AbortSignal): Promise<JobStats> {
  return request<JobStats>(`${API}/admin/jobs/stats`, { signal });
}

export function retryJob(id: string): Promise<Job> {
  return request<Job>(`${API}/admin/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' });
}

export function listSchedules(signal?: AbortSignal): Promise<RecurringSchedule[]> {
  return request<RecurringSchedule[]>(`${API}/admin/schedules`, { signal });
}
