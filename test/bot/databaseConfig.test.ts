import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';
import { describeDatabase } from '../../data/postgres/connection.js';

describe('choosing the store in the configuration', () => {
  it('keeps the embedded store without DATABASE_URL', () => {
    expect(loadConfig({}).database).toBeNull();
    expect(loadConfig({ DATABASE_URL: '' }).database).toBeNull();
  });

  it('chooses PostgreSQL with DATABASE_URL, with a pool of 10 unless DATABASE_POOL_SIZE says otherwise', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://bot@db:5432/credits' }).database).toEqual({ url: 'postgres://bot@db:5432/credits', poolSize: 10 });
    expect(loadConfig({ DATABASE_URL: 'postgresql://bot@db/credits', DATABASE_POOL_SIZE: '25' }).database?.poolSize).toBe(25);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/credits', DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/credits' })).toThrow(/DATABASE_URL/);
  });

  it('applies PGSSLMODE when the URL does not say sslmode itself', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/credits', PGSSLMODE: 'require' }).database?.url).toBe('postgres://db/credits?sslmode=require');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/credits?application_name=x', PGSSLMODE: 'verify-full' }).database?.url).toBe(
      'postgres://db/credits?application_name=x&sslmode=verify-full',
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://db/credits?sslmode=disable', PGSSLMODE: 'require' }).database?.url).toBe(
      'postgres://db/credits?sslmode=disable',
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/credits', PGSSLMODE: 'sometimes' })).toThrow(/PGSSLMODE/);
  });

  it('describes the database for the log without its password', () => {
    const description = describeDatabase('postgres://bot:s3cr%40t@db.example.com:6432/credits?sslmode=require');
    expect(description).toBe('bot@db.example.com:6432/credits (sslmode=require)');
    expect(describeDatabase('postgres://db.example.com/credits')).toBe('db.example.com:5432/credits');
  });
});
