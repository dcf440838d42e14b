/**
 * The facts a Java file states, independent of any rule: what it imports, which types it names,
 * what it constructs and calls (with the receiver's type when the file says it), which annotations
 * and supertypes it uses, and every string literal with the place it flows into. Rules are evaluated
 * against these facts (patterns.ts), so a file is parsed and walked once however many rules apply.
 * Everything here is plain data: facts can cross a worker-thread boundary or be cached.
 */

export interface Pos {
  line: number;
  column: number;
}

/** A type as the file names it, resolved to its possible fully qualified names (usually one). */
export interface TypeRefFact extends Pos {
  types: string[];
}

export interface ImportFact extends Pos {
  /** `java.io.File`, `java.io.*`, `java.lang.System.loadLibrary` */
  name: string;
  static: boolean;
  onDemand: boolean;
  /** the import shares its first four name segments with the file's package: the project's own code */
  own: boolean;
}

export interface AnnotationFact extends Pos {
  types: string[];
  /** element name → source text of its value (`value` for single-element annotations) */
  attrs: Record<string, string>;
}

export interface InheritFact extends Pos {
  types: string[];
  kind: 'extends' | 'implements';
}

export interface ArgFact {
  /** source text of the argument */
  text: string;
  /** when the argument is a plain name of a variable or field declared in the file: its initializer */
  init?: string;
  /** when the argument is a string literal: its value */
  literal?: string;
  /** the argument's type when the file says it (a literal, `new T(…)`, a cast, a declared variable) */
  types?: string[];
}

export interface NewFact extends Pos {
  types: string[];
  endLine: number;
  args: ArgFact[];
  /** when the object is passed straight to a call: that method, e.g. `addShutdownHook(new Thread(…))` */
  consumer?: string;
}

export interface CallFact extends Pos {
  method: string;
  /** the receiver's possible types: declared type of a variable/field/parameter, a cast, a `new`, or the type of a static call */
  types: string[];
  /** the receiver is a type name (static call), or a statically imported method */
  isStatic: boolean;
  /** the receiver is the result of this method call: `req.getSession().setAttribute(…)` → `getSession` */
  receiverCall?: string;
  /** the receiver is this variable/field/parameter */
  receiverName?: string;
  /** source text of the receiver, plus the initializer of a receiver variable declared in the file */
  receiverText?: string;
  endLine: number;
  args: ArgFact[];
  /** inside the body of a for/while/do loop of the same method */
  inLoop?: boolean;
}

export type LiteralContextKind = 'variable' | 'field' | 'assign' | 'arg' | 'new' | 'annotation' | 'return' | 'receiver' | 'other';

export interface LiteralContext {
  kind: LiteralContextKind;
  /**
   * the name the value is bound to: the variable/field assigned, the method returning it, the key
   * literal passed before it (`setProperty("db.password", "…")`), or the parameter name when the
   * called method is declared in the same file
   */
  name?: string;
  /** arg/new/receiver: the method called, and the receiver's or constructed type */
  method?: string;
  types?: string[];
  /** arg/new: 0-based argument position */
  index?: number;
  /** field: declared `static final` */
  constant?: boolean;
}

export interface LiteralFact extends Pos {
  value: string;
  endLine: number;
  ctx: LiteralContext;
}

export interface FieldFact extends Pos {
  name: string;
  types: string[];
  static: boolean;
  final: boolean;
  /** source text of the initializer */
  init?: string;
  /** calls that mutate it (put/add/remove/…) outside static and field initializers */
  mutations: number;
  /** resolved names of its annotations (all candidates) */
  annotations: string[];
}

export interface NativeMethodFact extends Pos {
  name: string;
}

export interface JavaFacts {
  package?: string;
  imports: ImportFact[];
  typeRefs: TypeRefFact[];
  annotations: AnnotationFact[];
  inherits: InheritFact[];
  news: NewFact[];
  calls: CallFact[];
  literals: LiteralFact[];
  fields: FieldFact[];
  /** reference-type casts: `(Queue) ctx.lookup(…)` */
  casts: TypeRefFact[];
  natives: NativeMethodFact[];
  /** true when some facts come from the lexical fallback (lines of the file did not parse) */
  lexical: boolean;
}

export function emptyFacts(lexical: boolean): JavaFacts {
  return { imports: [], typeRefs: [], annotations: [], inherits: [], news: [], calls: [], literals: [], fields: [], casts: [], natives: [], lexical };
}

/** Whether an import names the project's own code: same first four segments as the file's package. */
export function isOwnImport(name: string, pkg: string | undefined): boolean {
  if (!pkg) return false;
  const a = name.split('.');
  const b = pkg.split('.');
  if (a.length < 5 || b.length < 4) return false;
  return a.slice(0, 4).join('.') === b.slice(0, 4).join('.');
}

/** The public classes of java.lang a legacy app names without importing. */
const JAVA_LANG = new Set(
  (
    'Boolean Byte Character Class ClassLoader Double Enum Error Exception Float Integer InterruptedException Iterable Long Math Number ' +
    'Object Process ProcessBuilder Runnable Runtime RuntimeException SecurityManager Short StackTraceElement StrictMath String ' +
    'StringBuffer StringBuilder System Thread ThreadGroup ThreadLocal Throwable Void AutoCloseable CharSequence Comparable Cloneable ' +
    'Deprecated Override SuppressWarnings FunctionalInterface SafeVarargs IllegalArgumentException IllegalStateException ' +
    'NullPointerException UnsupportedOperationException ClassNotFoundException NumberFormatException InheritableThreadLocal Record'
  ).split(' '),
);

/** Resolves type names the way javac does for one compilation unit, as far as one file can tell. */
export class TypeResolver {
  private readonly single = new Map<string, string>();
  private readonly onDemand: string[] = [];
  private readonly staticMembers = new Map<string, string>();
  private readonly staticOnDemand: string[] = [];
  private readonly declared = new Map<string, string>();

  constructor(private readonly pkg: string | undefined) {}

  addImport(name: string, isStatic: boolean, onDemand: boolean): void {
    if (isStatic) {
      if (onDemand) this.staticOnDemand.push(name);
      else {
        const dot = name.lastIndexOf('.');
        this.staticMembers.set(name.slice(dot + 1), name.slice(0, dot));
      }
    } else if (onDemand) this.onDemand.push(name);
    else this.single.set(name.slice(name.lastIndexOf('.') + 1), name);
  }

  declare(simple: string, fqn: string): void {
    if (!this.declared.has(simple)) this.declared.set(simple, fqn);
  }

  /** The type a statically imported member belongs to (`loadLibrary` → `java.lang.System`). */
  staticOwner(member: string): string[] {
    const t = this.staticMembers.get(member);
    if (t) return [t];
    return this.staticOnDemand.slice();
  }

  /** Possible FQNs of a (possibly dotted) type name as written. */
  resolve(name: string): string[] {
    const dot = name.indexOf('.');
    if (dot > 0) {
      const head = name.slice(0, dot);
      // `java.io.File` is already qualified; `Map.Entry` is a member type of a resolvable head.
      if (!/^[A-Z]/.test(head)) return [name];
      return this.resolve(head).map((h) => `${h}${name.slice(dot)}`);
    }
    const s = this.single.get(name);
    if (s) return [s];
    const d = this.declared.get(name);
    if (d) return [d];
    if (JAVA_LANG.has(name)) return [`java.lang.${name}`];
    const own = this.pkg ? `${this.pkg}.${name}` : name;
    return [own, ...this.onDemand.map((p) => `${p}.${name}`)];
  }

  /** Whether a simple name is known as a type (imported, declared, java.lang) rather than merely guessed. */
  knows(name: string): boolean {
    return this.single.has(name) || this.declared.has(name) || JAVA_LANG.has(name);
  }
}

/**
 * Return types of the few well-known factory and accessor methods that legacy code chains, so that
 * `request.getSession().setAttribute(…)` and `Runtime.getRuntime().exec(…)` resolve their receiver.
 * Keyed by `<declaring type>#<method>`; javax names are mirrored to jakarta below.
 */
const RETURN_TYPES: Record<string, string> = {
  'java.lang.Runtime#getRuntime': 'java.lang.Runtime',
  'javax.servlet.http.HttpServletRequest#getSession': 'javax.servlet.http.HttpSession',
  'javax.servlet.http.HttpServletRequest#getPart': 'javax.servlet.http.Part',
  'javax.servlet.ServletRequest#getServletContext': 'javax.servlet.ServletContext',
  'javax.servlet.http.HttpServletRequest#getServletContext': 'javax.servlet.ServletContext',
  'javax.servlet.GenericServlet#getServletContext': 'javax.servlet.ServletContext',
  'java.net.InetAddress#getLocalHost': 'java.net.InetAddress',
  'java.net.InetAddress#getByName': 'java.net.InetAddress',
  'java.security.KeyStore#getInstance': 'java.security.KeyStore',
  'java.util.concurrent.Executors#newScheduledThreadPool': 'java.util.concurrent.ScheduledExecutorService',
  'java.util.concurrent.Executors#newSingleThreadScheduledExecutor': 'java.util.concurrent.ScheduledExecutorService',
  'java.util.logging.Logger#getLogger': 'java.util.logging.Logger',
  'org.apache.log4j.Logger#getLogger': 'org.apache.log4j.Logger',
  'org.apache.log4j.Logger#getRootLogger': 'org.apache.log4j.Logger',
  'java.io.RandomAccessFile#getChannel': 'java.nio.channels.FileChannel',
  'java.io.FileOutputStream#getChannel': 'java.nio.channels.FileChannel',
  'java.io.FileInputStream#getChannel': 'java.nio.channels.FileChannel',
  'org.quartz.impl.StdSchedulerFactory#getDefaultScheduler': 'org.quartz.Scheduler',
  'org.quartz.SchedulerFactory#getScheduler': 'org.quartz.Scheduler',
  'org.quartz.impl.StdSchedulerFactory#getScheduler': 'org.quartz.Scheduler',
  'javax.ejb.SessionContext#getTimerService': 'javax.ejb.TimerService',
  'javax.ejb.EJBContext#getTimerService': 'javax.ejb.TimerService',
  'javax.jms.ConnectionFactory#createConnection': 'javax.jms.Connection',
  'javax.jms.QueueConnectionFactory#createQueueConnection': 'javax.jms.QueueConnection',
  'javax.jms.Connection#createSession': 'javax.jms.Session',
};
for (const [k, v] of Object.entries(RETURN_TYPES)) {
  if (k.startsWith('javax.servlet') || k.startsWith('javax.ejb') || k.startsWith('javax.jms')) {
    RETURN_TYPES[k.replace(/^javax/, 'jakarta')] = v.replace(/^javax/, 'jakarta');
  }
}

const RETURNING = new Set(Object.keys(RETURN_TYPES).map((k) => k.slice(k.indexOf('#') + 1)));

export function returnTypeOf(types: string[], method: string): string[] {
  // (called for every call in a file: most methods are none of the few known here)
  if (types.length === 0 || !RETURNING.has(method)) return [];
  const out: string[] = [];
  for (const t of types) {
    const r = RETURN_TYPES[`${t}#${method}`];
    if (r) out.push(r);
  }
  return out;
}

/** Methods that change a collection or map in place: a static field they are called on is mutable state. */
export const MUTATORS = new Set(['put', 'putAll', 'putIfAbsent', 'add', 'addAll', 'remove', 'removeAll', 'clear', 'set', 'compute', 'computeIfAbsent', 'computeIfPresent', 'merge', 'offer', 'push', 'replace', 'addElement']);

/** A string used as a key (property name, map key, header): short, no spaces. */
export function keyLike(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 0 && value.length <= 100 && /^[\w.\-:/$\[\]@]+$/.test(value) ? value : undefined;
}

/** Decodes a Java string literal's body (escapes kept simple: the value is only pattern-matched). */
export function unquote(image: string): string {
  let body: string;
  if (image.startsWith('"""')) body = image.slice(3, -3).replace(/^[ \t\f]*\r?\n/, '');
  else body = image.slice(1, -1);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u+[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e.startsWith('u')) return String.fromCharCode(parseInt(e.replace(/^u+/, ''), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', s: ' ' } as Record<string, string>)[e] ?? e;
  });
}
