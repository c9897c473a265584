/** The load-test tooling that other projects (the e2e suite) reuse. */
export * from './books/books';
export * from './books/books-balance';
export * from './books/books-rules';
export * from './books/queue-accounts';
export * from './shaping/peak-shaving-run';
export * from './driver/sale-setup';
export * from './stack/stack-target';
export * from './scenarios/scenario-config';
export * from './scenarios/scenario-run';
