/**
 * The admin password of the benchmarks' throwaway databases, shared by the seeder (which sets it on
 * a new database) and the benchmarks that sign in to a seeded one. Only for loopback benchmark data;
 * set TAKT_ADMIN_PASSWORD to use another.
 */
export const BENCH_ADMIN_PASSWORD = process.env.TAKT_ADMIN_PASSWORD || 'load-admin-pw';
