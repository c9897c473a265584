import { databaseUrlFor } from './database-admin';

describe('databaseUrlFor', () => {
  it('points the server URL at another database, keeping credentials and options', () => {
    expect(databaseUrlFor('postgres://app:secret@db:5432/postgres?sslmode=require', 'order')).toBe(
      'postgres://app:secret@db:5432/order?sslmode=require',
    );
  });

  it('adds the database when the server URL names none', () => {
    expect(databaseUrlFor('postgres://postgres@127.0.0.1:5432', 'notify')).toBe(
      'postgres://postgres@127.0.0.1:5432/notify',
    );
  });
});
