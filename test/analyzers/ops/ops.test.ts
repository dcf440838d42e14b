import { describe, expect, it } from 'vitest';
import { detectFormat, opsAnalyzer, parseOps } from '../../../analyzers/ops/index.js';

const names = (ds: ReturnType<typeof parseOps>) => ds.map((d) => `${d.line}:${d.name}${d.args.length ? ' ' + d.args.join(' ') : ''}${d.context.length ? ' @' + d.context.join('>') : ''}`);

describe('detectFormat', () => {
  it('judges by name, then by content for generic .conf/.cfg', () => {
    expect(detectFormat('ops/nginx/nginx.conf')).toBe('nginx');
    expect(detectFormat('lb/haproxy.cfg')).toBe('haproxy');
    expect(detectFormat('f5/bigip.conf')).toBe('bigip');
    expect(detectFormat('f5/shop.irule')).toBe('irule');
    expect(detectFormat('ops/f5/persist.tcl')).toBe('irule');
    expect(detectFormat('src/main/tcl/persist.tcl')).toBe(undefined);
    expect(detectFormat('ops/ns.conf')).toBe('netscaler');
    expect(detectFormat('etc/cron.d/shop')).toBe('crontab');
    expect(detectFormat('site.conf', 'upstream app {\n server a;\n}')).toBe('nginx');
    expect(detectFormat('lb.cfg', 'backend app\n  balance source\n  server a 1.2.3.4:80\n')).toBe('haproxy');
    expect(detectFormat('front.conf', '<VirtualHost *:80>\nProxyPass / http://a/\n</VirtualHost>')).toBe('apache');
    expect(detectFormat('x.conf', 'ltm pool /Common/p {\n}')).toBe('bigip');
    expect(detectFormat('notes.conf', 'just = text')).toBe(undefined);
  });
});

describe('parseOps', () => {
  it('nginx: statements end at ;, blocks nest, # comments skipped', () => {
    expect(names(parseOps('http {\n  # ip_hash;\n  upstream app {\n    ip_hash;\n    server "a b" weight=2;\n  }\n}', 'nginx'))).toEqual([
      '1:http',
      '3:upstream app @http',
      '4:ip_hash @http>upstream app',
      '5:server a b weight=2 @http>upstream app',
    ]);
  });

  it('bigip: newline-terminated statements inside nested blocks', () => {
    expect(names(parseOps('ltm virtual /Common/vs {\n    destination 1.2.3.4:443\n    persist {\n        /Common/cookie {\n            default yes\n        }\n    }\n}', 'bigip'))).toEqual([
      '1:ltm virtual /Common/vs',
      '2:destination 1.2.3.4:443 @ltm virtual /Common/vs',
      '3:persist @ltm virtual /Common/vs',
      '4:/Common/cookie @ltm virtual /Common/vs>persist',
      '5:default yes @ltm virtual /Common/vs>persist>/Common/cookie',
    ]);
  });

  it('irule: Tcl commands, brackets kept in one word, # only at command start', () => {
    expect(names(parseOps('when HTTP_REQUEST {\n  # persist none\n  if { [HTTP::cookie exists "J S"] } { persist uie [HTTP::cookie "J"] 60 }\n}', 'irule'))).toEqual([
      '1:when HTTP_REQUEST',
      '3:if @when HTTP_REQUEST',
      // a Tcl body after a condition is an anonymous block ('') inside the command's block
      '3:[HTTP::cookie exists "J S"] @when HTTP_REQUEST>if',
      '3:persist uie [HTTP::cookie "J"] 60 @when HTTP_REQUEST>',
    ]);
  });

  it('haproxy: sections reset the context', () => {
    expect(names(parseOps('defaults\n  mode http\nbackend app\n  balance source # comment\n  # cookie X insert\n', 'haproxy'))).toEqual([
      '1:defaults',
      '2:mode http @defaults',
      '3:backend app',
      '4:balance source @backend app',
    ]);
  });

  it('apache: <Section> containers and \\ continuations', () => {
    expect(names(parseOps('<Proxy "balancer://a">\n  BalancerMember http://x \\\n     route=n1\n</Proxy>\nProxyPass / balancer://a/', 'apache'))).toEqual([
      '1:<Proxy> balancer://a',
      '2:BalancerMember http://x route=n1 @Proxy "balancer://a"',
      '5:ProxyPass / balancer://a/',
    ]);
  });

  it('netscaler and crontab: one command per line', () => {
    expect(names(parseOps('#c\nadd lb vserver v HTTP 1.2.3.4 80 -persistenceType SOURCEIP\n', 'netscaler'))).toEqual(['2:add lb vserver v HTTP 1.2.3.4 80 -persistenceType SOURCEIP']);
    expect(names(parseOps('MAILTO=a@b\r\n# 0 1 * * * old\r\n*/5 * * * * /bin/job --x\r\n@daily /bin/d\r\n', 'crontab'))).toEqual([
      '1:env MAILTO a@b',
      '3:job */5 * * * * /bin/job --x',
      '4:job @daily /bin/d',
    ]);
  });
});

describe('opsAnalyzer', () => {
  it('matches directive, args and enclosing block', () => {
    const text = 'http {\n  upstream app {\n    hash $remote_addr;\n  }\n  upstream cache {\n    hash $request_uri;\n  }\n}';
    const r = opsAnalyzer.analyze({ path: 'nginx.conf', text }, [
      { id: 'r', match: { analyzer: 'ops', format: 'nginx', directive: 'hash', args: '^\\$remote_addr', within: '^upstream' } },
    ]);
    expect(r.matches).toEqual([{ ruleId: 'r', line: 3, column: 5, captures: { key: 'hash', value: '$remote_addr', kind: 'nginx' } }]);
  });

  it('rules for another format do not run, and unknown .conf files produce nothing', () => {
    const rule = { id: 'r', match: { analyzer: 'ops', format: 'haproxy', directive: 'balance' } };
    expect(opsAnalyzer.analyze({ path: 'nginx.conf', text: 'balance source;' }, [rule]).matches).toEqual([]);
    expect(opsAnalyzer.analyze({ path: 'odd.conf', text: 'balance source' }, [rule]).matches).toEqual([]);
  });

  it('validates match blocks', () => {
    expect(opsAnalyzer.validate({ analyzer: 'ops' })).toEqual([['match', 'needs directive or line']]);
    expect(opsAnalyzer.validate({ analyzer: 'ops', directive: '(' }).map((p) => p[0])).toEqual(['match.directive']);
  });
});
