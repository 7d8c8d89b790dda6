/**
 * A small promise wrapper over the raw IndexedDB API: one database, object stores keyed by a property,
 * and one short transaction per call (IndexedDB transactions end at the first await on anything else).
 */

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function completed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

export interface StoreSpec {
  name: string;
  keyPath: string;
}

export class KeyValueDb {
  readonly #name: string;
  readonly #version: number;
  readonly #stores: readonly StoreSpec[];
  #db: Promise<IDBDatabase> | null = null;

  constructor(name: string, version: number, stores: readonly StoreSpec[]) {
    this.#name = name;
    this.#version = version;
    this.#stores = stores;
  }

  #open(): Promise<IDBDatabase> {
    if (this.#db) return this.#db;
    const opening = new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(this.#name, this.#version);
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const store of this.#stores) {
          if (!db.objectStoreNames.contains(store.name)) {
            db.createObjectStore(store.name, { keyPath: store.keyPath });
          }
        }
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another tab upgrading the schema: step aside and reopen on the next call.
        db.onversionchange = () => {
          db.close();
          this.#db = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error ?? new Error('IndexedDB cannot be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    this.#db = opening;
    opening.catch(() => {
      if (this.#db === opening) this.#db = null;
    });
    return opening;
  }

  async getAll<T>(store: string): Promise<T[]> {
    const db = await this.#open();
    const tx = db.transaction(store, 'readonly');
    return promised(tx.objectStore(store).getAll() as IDBRequest<T[]>);
  }

  async get<T>(store: string, key: IDBValidKey): Promise<T | undefined> {
    const db = await this.#open();
    const tx = db.transaction(store, 'readonly');
    return promised(tx.objectStore(store).get(key) as IDBRequest<T | undefined>);
  }

  /** Resolves once the write is durable (the transaction has committed). */
  async put<T>(store: string, value: T): Promise<void> {
    const db = await this.#open();
    const tx = db.transaction(store, 'readwrite');
    tx.objectStore(store).put(value);
    await completed(tx);
  }

  async delete(store: string, key: IDBValidKey): Promise<void> {
    const db = await this.#open();
    const tx = db.transaction(store, 'readwrite');
    tx.objectStore(store).delete(key);
    await completed(tx);
  }
}
