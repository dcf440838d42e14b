/**
 * The Java analyzer's facts, from real tree-sitter-java trees of real-looking snippets: how names resolve
 * (imports, same package, java.lang, declared types), how receivers get their types (variables,
 * fields, parameters, casts, `new`, static types, known factory chains), and where each string
 * literal flows. Comments never contribute a fact.
 */
import { describe, expect, it } from 'vitest';
import { loadJavaParser, parseJava } from '../../../analyzers/java/parse.js';
import type { JavaFacts } from '../../../analyzers/java/facts.js';

// (describe blocks below parse while the file is collected, before any beforeAll)
await loadJavaParser();

function facts(src: string): JavaFacts {
  const r = parseJava(src);
  expect(r.error).toBeUndefined();
  return r.facts;
}

const call = (f: JavaFacts, method: string) => f.calls.filter((c) => c.method === method);
const lit = (f: JavaFacts, value: string) => f.literals.find((l) => l.value === value);

describe('java facts: package, imports and type resolution', () => {
  const f = facts(`
package com.acme.orders;

import java.io.FileWriter;
import java.util.*;
import static java.lang.System.loadLibrary;
import static org.junit.Assert.*;

public class Exporter {
  private FileWriter out;
  private List<String> names;
  private Helper helper;
  private String label;
  static class Helper {}
  void go() { loadLibrary("zebra"); }
}
`);

  it('reads the package and every kind of import', () => {
    expect(f.package).toBe('com.acme.orders');
    expect(f.imports.map((i) => [i.name, i.static, i.onDemand, i.line])).toEqual([
      ['java.io.FileWriter', false, false, 4],
      ['java.util.*', false, true, 5],
      ['java.lang.System.loadLibrary', true, false, 6],
      ['org.junit.Assert.*', true, true, 7],
    ]);
  });

  it('resolves single imports, on-demand candidates, nested types and java.lang', () => {
    const byLine = (line: number) => f.typeRefs.filter((t) => t.line === line).map((t) => t.types);
    expect(byLine(10)).toEqual([['java.io.FileWriter']]);
    // On-demand: the same package comes first, then each on-demand import.
    expect(byLine(11)[0]).toEqual(['com.acme.orders.List', 'java.util.List']);
    expect(byLine(12)).toEqual([['com.acme.orders.Exporter.Helper']]);
    expect(byLine(13)).toEqual([['java.lang.String']]);
  });

  it('resolves an unqualified call to a statically imported method', () => {
    expect(call(f, 'loadLibrary')[0]).toMatchObject({ types: ['java.lang.System'], isStatic: true, line: 15 });
  });
});

describe('java facts: binding resolution', () => {
  it('a same-package class is not the JDK class of the same simple name', () => {
    const f = facts(`
package com.acme.io;
class Audit {
  void log() { FileWriter w = new FileWriter(); w.write("x"); }
}`);
    expect(f.news[0]!.types).toEqual(['com.acme.io.FileWriter']);
    expect(call(f, 'write')[0]!.types).toEqual(['com.acme.io.FileWriter']);
  });

  it('a variable named like a type is the variable, not the type', () => {
    const f = facts(`
import java.nio.file.Files;
import java.nio.file.Path;
class Store {
  private BlobStore Files;
  void save(Path p, byte[] b) throws Exception {
    Files.write(p, b);
  }
  void local(Path p, byte[] b) throws Exception {
    Cache Files = new Cache();
    Files.write(p, b);
  }
  void real(Path p, byte[] b) throws Exception { java.nio.file.Files.write(p, b); }
}`);
    const writes = call(f, 'write');
    expect(writes.map((c) => [c.line, c.types, c.isStatic])).toEqual([
      [7, ['BlobStore'], false],
      [11, ['Cache'], false],
      [13, ['java.nio.file.Files'], true],
    ]);
  });

  it('a parameter shadows a field, and a lambda parameter shadows both', () => {
    const f = facts(`
import java.io.File;
class A {
  private File target;
  void m(Archive target) { target.delete(); }
  void n() { target.delete(); }
  void o(java.util.List<String> l) { l.forEach(target -> target.delete()); }
}`);
    expect(call(f, 'delete').map((c) => c.types)).toEqual([['Archive'], ['java.io.File'], []]);
  });

  it('receivers typed by casts, new, this.field and known factory chains', () => {
    const f = facts(`
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;
class S extends HttpServlet {
  private HttpSession cached;
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
    ((HttpServletRequest) req).getSession().setAttribute("a", 1);
    req.getSession(true).putValue("b", 2);
    this.cached.getAttribute("c");
    new java.io.File("/x").mkdirs();
    Runtime.getRuntime().exec("ls");
  }
}`);
    expect(call(f, 'getSession')[0]!.types).toEqual(['javax.servlet.http.HttpServletRequest']);
    expect(call(f, 'setAttribute')[0]).toMatchObject({ types: ['javax.servlet.http.HttpSession'], receiverCall: 'getSession' });
    expect(call(f, 'putValue')[0]).toMatchObject({ types: ['javax.servlet.http.HttpSession'], receiverCall: 'getSession' });
    expect(call(f, 'getAttribute')[0]).toMatchObject({ types: ['javax.servlet.http.HttpSession'], receiverName: 'cached' });
    expect(call(f, 'mkdirs')[0]!.types).toEqual(['java.io.File']);
    expect(call(f, 'exec')[0]).toMatchObject({ types: ['java.lang.Runtime'], receiverCall: 'getRuntime' });
  });

  it('an object created as an argument knows the method it is handed to', () => {
    const f = facts(`
class H {
  void m(final Runnable r) {
    Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() { public void run() { r.run(); } }));
    new Thread(r).start();
  }
}`);
    expect(f.news.map((n) => [n.line, n.types[0], n.consumer])).toEqual([
      [4, 'java.lang.Runnable', undefined],
      [4, 'java.lang.Thread', 'addShutdownHook'],
      [5, 'java.lang.Thread', undefined],
    ]);
  });

  it('an argument that is a variable carries its initializer and declared type', () => {
    const f = facts(`
import java.io.*;
class T {
  void m() throws IOException {
    File tmp = File.createTempFile("a", ".b");
    OutputStream out = new FileOutputStream(tmp);
  }
}`);
    const created = f.news.find((n) => n.types.includes('java.io.FileOutputStream'))!;
    expect(created.args[0]).toMatchObject({ text: 'tmp', types: ['File', 'java.io.File'] });
    expect(created.args[0]!.init).toContain('createTempFile');
  });
});

describe('java facts: string literals and their context', () => {
  const f = facts(`
package com.acme;
import java.sql.DriverManager;
import java.util.Properties;
public class Db {
  private static final String DB_PASSWORD = "tiger";
  private String url = "jdbc:oracle:thin:@" + "db01:1521:X";
  @Resource(lookup = "jdbc/Orders") Object ds;
  String secret() { return "s3cr3t"; }
  void m(Properties p) throws Exception {
    String local = "v1";
    local = "v2";
    p.setProperty("mail.password", "pw1");
    DriverManager.getConnection(url, "scott", "pw2");
    connect("db.acme.corp", "pw3");
    if ("localhost".equals(local)) {}
  }
  void connect(String host, String password) {}
}`);

  it('binds field, variable and assignment literals to their names', () => {
    expect(lit(f, 'tiger')!.ctx).toEqual({ kind: 'field', name: 'DB_PASSWORD', constant: true });
    expect(lit(f, 'jdbc:oracle:thin:@')!.ctx).toMatchObject({ kind: 'field', name: 'url', constant: false });
    expect(lit(f, 'db01:1521:X')!.ctx).toMatchObject({ kind: 'field', name: 'url' });
    expect(lit(f, 'v1')!.ctx).toEqual({ kind: 'variable', name: 'local' });
    expect(lit(f, 'v2')!.ctx).toEqual({ kind: 'assign', name: 'local' });
    expect(lit(f, 's3cr3t')!.ctx).toEqual({ kind: 'return', name: 'secret' });
  });

  it('binds arguments to the call, its position, and the key or parameter they stand for', () => {
    expect(lit(f, 'pw1')!.ctx).toMatchObject({ kind: 'arg', method: 'setProperty', index: 1, name: 'mail.password', types: ['java.util.Properties'] });
    expect(lit(f, 'pw2')!.ctx).toMatchObject({ kind: 'arg', method: 'getConnection', index: 2, types: ['java.sql.DriverManager'] });
    expect(lit(f, 'pw2')!.ctx.name).toBeUndefined();
    // connect(…) is declared in this file, so its parameter names are known.
    expect(lit(f, 'db.acme.corp')!.ctx).toMatchObject({ kind: 'arg', method: 'connect', index: 0, name: 'host' });
    expect(lit(f, 'pw3')!.ctx).toMatchObject({ kind: 'arg', method: 'connect', index: 1, name: 'password' });
    expect(lit(f, 'localhost')!.ctx).toEqual({ kind: 'receiver', method: 'equals' });
  });

  it('binds annotation values to the annotation and element', () => {
    expect(lit(f, 'jdbc/Orders')!.ctx).toMatchObject({ kind: 'annotation', name: 'lookup', types: ['com.acme.Resource'] });
    expect(f.annotations[0]).toMatchObject({ attrs: { lookup: '"jdbc/Orders"' }, line: 8 });
  });
});

describe('java facts: comments, natives, static fields and loops', () => {
  it('comments and Javadoc produce no facts at all', () => {
    const f = facts(`
/** Uses Runtime.getRuntime().exec("rm -rf /") and new FileOutputStream("/var/x"). */
class C {
  // String password = "tiger";
  /* System.loadLibrary("x"); */
  void m() {}
}`);
    expect(f.literals).toEqual([]);
    expect(f.calls).toEqual([]);
    expect(f.news).toEqual([]);
  });

  it('records native methods and static fields with their run-time mutations', () => {
    const f = facts(`
import java.util.*;
class N {
  private static final Map<String, String> CODES = new HashMap<String, String>();
  private static Map<String, Object> cache = new HashMap<String, Object>();
  static { CODES.put("DE", "Germany"); }
  public native int read(byte[] b);
  Object get(String k) { Object v = cache.get(k); if (v == null) { N.cache.put(k, v); } return v; }
}`);
    expect(f.natives).toEqual([{ name: 'read', line: 7, column: 21 }]);
    const byName = Object.fromEntries(f.fields.map((x) => [x.name, x]));
    expect(byName.CODES).toMatchObject({ static: true, final: true, mutations: 0, types: ['Map', 'java.util.Map'] });
    expect(byName.cache).toMatchObject({ static: true, final: false, mutations: 1 });
  });

  it('marks calls inside loops', () => {
    const f = facts(`
class P {
  void once() throws Exception { Thread.sleep(1); }
  void poll() throws Exception { while (true) { Thread.sleep(2); } }
  void each(java.util.List<String> l) throws Exception { for (String s : l) { Thread.sleep(3); } }
}`);
    expect(call(f, 'sleep').map((c) => [c.line, c.inLoop ?? false])).toEqual([
      [3, false],
      [4, true],
      [5, true],
    ]);
  });
});

describe('java facts: without type references', () => {
  it('are the same facts, less the type references (declared types are read from the text either way)', () => {
    const src = `
package com.acme;
import java.io.*;
import java.util.Map;
public class Mixed<T extends Comparable<T>> extends Base implements Runnable, Map.Entry<String, T> {
  private static final Map<String, java.util.List<File>> FILES = new java.util.HashMap<>();
  @Deprecated private final @Nullable String name = "n";
  public void run() {
    for (final File f : FILES.get("x")) { f.delete(); }
    try (Reader r = new FileReader(name)) { ((BufferedReader) r).readLine(); } catch (IOException | RuntimeException e) { e.printStackTrace(); }
    Object o = name;
    if (o instanceof String s && s.isEmpty()) { var copy = new StringBuilder(s); copy.append('c'); }
  }
}`;
    const all = facts(src);
    const r = parseJava(src, { typeRefs: false });
    expect(r.error).toBeUndefined();
    expect(all.typeRefs.length).toBeGreaterThan(10);
    expect(r.facts.typeRefs).toEqual([]);
    expect({ ...r.facts, typeRefs: all.typeRefs }).toEqual(all);
    // and the declared types those facts rest on did resolve
    // (java.io.* is on demand: the same package is the other candidate)
    expect(call(all, 'delete')[0]!.types).toEqual(['com.acme.File', 'java.io.File']);
    expect(call(all, 'readLine')[0]!.types).toEqual(['com.acme.BufferedReader', 'java.io.BufferedReader']);
    expect(call(all, 'printStackTrace')[0]!.types).toEqual(['com.acme.IOException', 'java.io.IOException']);
    expect(call(all, 'append')[0]!.types).toEqual(['java.lang.StringBuilder']);
    expect(all.inherits.map((i) => [i.kind, i.types[0]])).toEqual([
      ['extends', 'com.acme.Base'],
      ['implements', 'java.lang.Runnable'],
      ['implements', 'java.util.Map.Entry'],
    ]);
  });
});
