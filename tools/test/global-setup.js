// Jest global setup for projects that need PostgreSQL and Redis: use DATABASE_URL / REDIS_URL when
// given (npm test sets them once for the whole run), otherwise bring up throw-away local servers.
const { startInfraProcess } = require('../../infra/infra-process');

module.exports = async function globalSetup() {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) return;
  const infra = await startInfraProcess();
  process.env.DATABASE_URL = infra.databaseUrl;
  process.env.REDIS_URL = infra.redisUrl;
  globalThis.__FLASHSALE_INFRA__ = infra;
};
