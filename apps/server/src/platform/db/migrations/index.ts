import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Dialect } from '../database.ts';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_items.ts';
import * as m0003 from './0003_identity.ts';
import * as m0004 from './0004_masterdata.ts';
import * as m0005 from './0005_manufacturing.ts';
import * as m0006 from './0006_inventory.ts';
import * as m0007 from './0007_sales.ts';
import * as m0008 from './0008_purchasing_mrp.ts';
import * as m0009 from './0009_production.ts';
import * as m0010 from './0010_shopfloor.ts';
import * as m0011 from './0011_integration.ts';
import * as m0012 from './0012_integration_hub.ts';
import * as m0013 from './0013_exceptions.ts';
import * as m0014 from './0014_pay.ts';
import * as m0015 from './0015_scheduling.ts';
import * as m0016 from './0016_hub_more.ts';
import * as m0017 from './0017_imports.ts';
import * as m0018 from './0018_list_indexes.ts';
import * as m0019 from './0019_custom_fields.ts';
import * as m0021 from './0021_quality.ts';
import * as m0022 from './0022_request_log.ts';
import * as m0023 from './0023_email_channel.ts';
import * as m0025 from './0025_perf_indexes.ts';
import * as m0026 from './0026_archive.ts';
import * as m0027 from './0027_outbox_aggregate.ts';
import * as m0028 from './0028_custom_field_indexes.ts';
import * as m0029 from './0029_report_indexes.ts';
import * as m0030 from './0030_report_aggregates.ts';
import * as m0031 from './0031_report_folding.ts';
import * as m0032 from './0032_exception_links.ts';
import * as m0033 from './0033_archive_move_indexes.ts';

type Up = (db: Kysely<unknown>, dialect: Dialect) => Promise<void>;

/** Migrations in order. Names never change once released; add new files at the end. */
const ALL: ReadonlyArray<readonly [string, Up]> = [
  ['0001_platform', m0001.up],
  ['0002_items', m0002.up],
  ['0003_identity', m0003.up],
  ['0004_masterdata', m0004.up],
  ['0005_manufacturing', m0005.up],
  ['0006_inventory', m0006.up],
  ['0007_sales', m0007.up],
  ['0008_purchasing_mrp', m0008.up],
  ['0009_production', m0009.up],
  ['0010_shopfloor', m0010.up],
  ['0011_integration', m0011.up],
  ['0012_integration_hub', m0012.up],
  ['0013_exceptions', m0013.up],
  ['0014_pay', m0014.up],
  ['0015_scheduling', m0015.up],
  ['0016_hub_more', m0016.up],
  ['0017_imports', m0017.up],
  ['0018_list_indexes', m0018.up],
  ['0019_custom_fields', m0019.up],
  ['0021_quality', m0021.up],
  ['0022_request_log', m0022.up],
  ['0023_email_channel', m0023.up],
  ['0025_perf_indexes', m0025.up],
  ['0026_archive', m0026.up],
  ['0027_outbox_aggregate', m0027.up],
  ['0028_custom_field_indexes', m0028.up],
  ['0029_report_indexes', m0029.up],
  ['0030_report_aggregates', m0030.up],
  ['0031_report_folding', m0031.up],
  ['0032_exception_links', m0032.up],
  ['0033_archive_move_indexes', m0033.up],
];

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, up] of ALL) out[name] = { up: (db) => up(db, dialect) };
      return out;
    },
  };
}

export const MIGRATION_NAMES = ALL.map(([name]) => name);
