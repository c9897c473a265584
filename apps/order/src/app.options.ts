import type { ServiceAppOptions } from '@flashsale/service-kit';

/** How the order app is set up in main.ts and in the tests alike. */
export const orderAppOptions: ServiceAppOptions = {
  openApi: {
    title: 'Flash-sale order service',
    description: 'Flash sales, the purchase gate and the lifecycle of purchase orders.',
    version: '0.1.0',
  },
};
