import type { Item, ItemCreate, ItemListQuery, ItemUpdate, PageOf } from '@takt/contracts';
import { API, request } from './client.ts';

export const ITEM_TYPES = ['raw', 'purchased', 'semi_finished', 'finished', 'consumable', 'tool'] as const;
export type ItemTypeValue = (typeof ITEM_TYPES)[number];

export const ITEM_SORTS = ['code', '-code', 'name', '-name', 'updatedAt', '-updatedAt'] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];

export function listItems(query: ItemListQuery, signal?: AbortSignal): Promise<PageOf<Item>> {
  return request<PageOf<Item>>(`${API}/items`, { query: { ...query }, signal });
}

export function getItem(id: string, signal?: AbortSignal): Promise<Item> {
  return request<Item>(`${API}/items/${encodeURIComponent(id)}`, { signal });
}

export function createItem(body: ItemCreate): Promise<Item> {
  return request<Item>(`${API}/items`, { method: 'POST', body });
}

export function updateItem(id: string, body: ItemUpdate): Promise<Item> {
  return request<Item>(`${API}/items/${encodeURIComponent(id)}`, { method: 'PATCH', body });
}
