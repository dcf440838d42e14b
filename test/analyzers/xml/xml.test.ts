import { describe, expect, it } from 'vitest';
import { compileUnion, elementMatchesPath, parseXml, xmlAnalyzer } from '../../../analyzers/xml/index.js';

const run = (text: string, match: Record<string, unknown>, path = 'x.xml') =>
  xmlAnalyzer.analyze({ path, text }, [{ id: 'r', match: { analyzer: 'xml', ...match } }]);

describe('parseXml', () => {
  it('gives elements and attributes their own lines and columns, multi-line tags included', () => {
    const p = parseXml('<?xml version="1.0"?>\n<a>\n  <b x="1"\n     y="2"/>\n  <c>text</c>\n</a>\n');
    expect(p.errors).toEqual([]);
    const b = p.elements.find((e) => e.name === 'b')!;
    expect(b).toMatchObject({ line: 3, column: 3 });
    expect(b.attrs.map((a) => [a.name, a.line, a.column])).toEqual([
      ['x', 3, 6],
      ['y', 4, 6],
    ]);
    expect(p.elements.find((e) => e.name === 'c')).toMatchObject({ line: 5, text: 'text' });
    expect(p.root?.name).toBe('a');
  });

  it('keeps prefixed names with their local part and survives CRLF and a BOM', () => {
    const p = parseXml('\uFEFF<beans xmlns:task="t">\r\n  <task:scheduled ref="x"/>\r\n</beans>');
    expect(p.elements[1]).toMatchObject({ name: 'task:scheduled', local: 'scheduled', line: 2 });
  });

  it('refuses documents that declare entities, with the line of the declaration', () => {
    const p = parseXml('<?xml version="1.0"?>\n<!DOCTYPE a [\n  <!ENTITY e SYSTEM "file:///etc/passwd">\n]>\n<a>&e;</a>');
    expect(p.refused).toBe(true);
    expect(p.elements).toEqual([]);
    expect(p.errors).toEqual([{ message: expect.stringContaining('<!ENTITY'), line: 3 }]);
  });

  it('does not refuse an entity declaration that only appears inside a comment', () => {
    const p = parseXml('<!-- <!ENTITY e "x"> -->\n<a/>');
    expect(p.refused).toBe(false);
    expect(p.root?.name).toBe('a');
  });

  it('reports malformed XML and keeps the elements read before the error', () => {
    const p = parseXml('<a>\n  <b>\n  <c/>\n</a>\n');
    expect(p.errors.length).toBeGreaterThan(0);
    expect(p.elements.map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('paths', () => {
  const p = parseXml('<Server><Service><Engine name="Catalina" jvmRoute="n1"><Host/></Engine></Service></Server>');
  const engine = p.elements.find((e) => e.name === 'Engine')!;
  const host = p.elements.find((e) => e.name === 'Host')!;
  it('anchors with a leading slash and checks attribute predicates', () => {
    const m = (path: string, el = engine) => compileUnion(path, 'i').some((s) => elementMatchesPath(s, el));
    expect(m('/Server/Service/Engine[@jvmRoute]')).toBe(true);
    expect(m('Service/Engine')).toBe(true);
    expect(m('/Service/Engine')).toBe(false);
    expect(m("Engine[@name='Catalina']")).toBe(true);
    expect(m("Engine[@name='catalina']")).toBe(false);
    expect(m("Engine[@name~='^cat']")).toBe(true);
    expect(m('Engine[@missing]')).toBe(false);
    expect(m('*/Host', host)).toBe(true);
    expect(m('Nope|Engine/Host', host)).toBe(true);
    expect(m('(?:Eng|Ser)ine|Server/Service/Engine')).toBe(true);
  });
});

describe('xmlAnalyzer', () => {
  it('reports attributes at their own line and never inside comments', () => {
    const text = '<configuration>\n  <!-- <appender class="x.FileAppender"/> -->\n  <appender name="F"\n      class="ch.qos.logback.core.FileAppender"/>\n</configuration>';
    const r = run(text, { element: 'appender', attribute: { name: 'class', value: 'FileAppender$' } });
    expect(r.matches).toEqual([{ ruleId: 'r', line: 4, column: 7, captures: { key: 'class', element: 'appender', value: 'ch.qos.logback.core.FileAppender' } }]);
  });

  it('missingChild reports the parent once', () => {
    expect(run('<web-app>\n  <display-name/>\n</web-app>', { path: '/web-app', missingChild: 'distributable' }).matches).toEqual([
      { ruleId: 'r', line: 1, column: 1, endLine: 3, captures: { key: 'web-app', element: 'web-app' } },
    ]);
    expect(run('<web-app><distributable/></web-app>', { path: '/web-app', missingChild: 'distributable' }).matches).toEqual([]);
  });

  it('child conditions must all be met by some child', () => {
    const text = '<w>\n<context-param><param-name>a.STATE</param-name><param-value>server</param-value></context-param>\n<context-param><param-name>a.STATE</param-name><param-value>client</param-value></context-param>\n</w>';
    const r = run(text, { element: 'context-param', child: [{ element: 'param-name', text: 'STATE$' }, { element: 'param-value', text: '^server$' }] });
    expect(r.matches.map((m) => m.line)).toEqual([2]);
  });

  it('line rules blank comments first and still run on malformed documents', () => {
    const r = xmlAnalyzer.analyze({ path: 'broken.xml', text: '<a>\n<!--\n jdbc:h2:file:x\n-->\n<b url="jdbc:h2:file:y">\n</a>' }, [
      { id: 'line', match: { analyzer: 'xml', line: 'jdbc:h2:file' } },
      { id: 'el', match: { analyzer: 'xml', element: 'b' } },
    ]);
    expect(r.matches.filter((m) => m.ruleId === 'line').map((m) => m.line)).toEqual([5]);
    expect(r.errors?.length).toBeGreaterThan(0);
  });

  it('validates match blocks', () => {
    const v = (m: Record<string, unknown>) => xmlAnalyzer.validate({ analyzer: 'xml', ...m }).map((p) => p[0]);
    expect(v({ element: 'a', path: 'b' })).toContain('match.path');
    expect(v({ path: "a[@x~='(']" })).toContain('match.path');
    expect(v({ element: 'a', attribute: { value: 'x' } })).toContain('match.attribute.name');
    expect(v({ element: 'a', child: { text: 'x' } })).toContain('match.child.element');
    expect(v({ attribute: { name: 'x' } })).toContain('match');
    expect(v({ path: "/web-app/resource-ref[@id='x']|Engine", attribute: { name: 'a', value: 'b' } })).toEqual([]);
  });
});

describe('negated predicates', () => {
  it('[!@a…] selects elements that lack the attribute or whose value does not match', () => {
    const p = parseXml('<mapper><cache/><cache type="org.mybatis.caches.redis.RedisCache"/><cache type="x.Local"/></mapper>');
    const spec = compileUnion("/mapper/cache[!@type~='redis']", 'i');
    expect(p.elements.filter((e) => spec.some((s) => elementMatchesPath(s, e))).map((e) => e.attrs[0]?.value ?? '(none)')).toEqual(['(none)', 'x.Local']);
  });
});
