// Shared Jest settings for every project. SWC compiles TypeScript (with decorator metadata, which
// NestJS and TypeORM need) an order of magnitude faster than ts-jest; tsc --noEmit does the type check.
const path = require('node:path');

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions], '^.+\\.js$': ['@swc/jest', swcOptions] },
  // A few dependencies ship ESM only; Jest 30 on Node 20 cannot require() them, so SWC compiles those
  // (and only those) to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@flashsale/mq$': path.join(root, 'libs/mq/src/index.ts'),
    '^@flashsale/mq/protocol$': path.join(root, 'libs/mq/src/protocol/index.ts'),
    '^@flashsale/mq/nest$': path.join(root, 'libs/mq/src/nest/index.ts'),
    '^@flashsale/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
    '^@flashsale/testing$': path.join(root, 'libs/testing/src/index.ts'),
    '^@flashsale/service-kit$': path.join(root, 'libs/service-kit/src/index.ts'),
    '^@flashsale/load-tests$': path.join(root, 'load-tests/src/index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // Slow fault and soak tests are named `*.slow.spec.ts` / `*.slow.e2e-spec.ts`: CI runs them,
  // `npm run test:fast` (SKIP_SLOW=1) leaves them out.
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.SKIP_SLOW ? ['\\.slow\\.'] : [])],
  reporters: ['default', path.join(root, 'tools/test/count-reporter.js')],
  testTimeout: 30000,
};

/**
 * Projects whose tests need PostgreSQL and Redis spread this into their config (see
 * tools/test/global-setup.js). Not enumerable, so `...preset` does not hand Jest an unknown option.
 */
Object.defineProperty(module.exports, 'withInfrastructure', {
  enumerable: false,
  value: {
    globalSetup: path.join(root, 'tools/test/global-setup.js'),
    globalTeardown: path.join(root, 'tools/test/global-teardown.js'),
  },
});
