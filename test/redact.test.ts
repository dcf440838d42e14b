/** Credential findings never carry the secret itself into a report. */
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../core/index.js';

describe('redactSecrets', () => {
  it.each([
    ['    private static final String DB_PASSWORD = "tiger123";', '    private static final String DB_PASSWORD = "****";'],
    ['conn = DriverManager.getConnection(url, "scott", "tiger");', 'conn = DriverManager.getConnection(url, "****", "****");'],
    ['db.password=tiger', 'db.password=****'],
    ['  password: s3cr3t   # prod', '  password: ****   # prod'],
    ['<password>tiger</password>', '<password>****</password>'],
    ['<property name="password" value="tiger"/>', '<property name="password" value="****"/>'],
    ["app.use(session({ secret: 'keyboard cat' }));", "app.use(session({ secret: '****' }));"],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input, 'password')).toBe(expected);
  });
  it('keeps placeholders and the key name readable', () => {
    expect(redactSecrets('db.password=${DB_PASSWORD}')).toBe('db.password=${DB_PASSWORD}');
    expect(redactSecrets('props.put("password", "tiger");', 'password')).toBe('props.put("password", "****");');
  });
});
