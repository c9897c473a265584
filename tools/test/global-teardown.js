module.exports = async function globalTeardown() {
  const infra = globalThis.__FLASHSALE_INFRA__;
  if (infra) await infra.stop();
};
