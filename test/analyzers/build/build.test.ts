import { describe, expect, it } from 'vitest';
import { buildAnalyzer, parseGradle, parsePom } from '../../../analyzers/build/index.js';

describe('parsePom', () => {
  it('reads dependencies at their <dependency> line, with scope, skipping comments and plugin dependencies', () => {
    const pom = `<project>
  <packaging>ear</packaging>
  <dependencies>
    <!-- <dependency><groupId>x</groupId><artifactId>commented</artifactId></dependency> -->
    <dependency>
      <groupId>javax.jms</groupId>
      <artifactId>javax.jms-api</artifactId>
      <version>2.0.1</version>
      <scope>provided</scope>
    </dependency>
  </dependencies>
  <build><plugins><plugin><artifactId>p</artifactId><dependencies>
    <dependency><groupId>plugin.only</groupId><artifactId>dep</artifactId></dependency>
  </dependencies></plugin></plugins></build>
  <profiles><profile><dependencies>
    <dependency><groupId>in.profile</groupId><artifactId>dep</artifactId></dependency>
  </dependencies></profile></profiles>
</project>`;
    const m = parsePom(pom);
    expect(m.errors).toEqual([]);
    expect(m.packaging).toEqual({ value: 'ear', line: 2, column: 3 });
    expect(m.dependencies.map((d) => [d.group, d.artifact, d.version, d.scope, d.line, d.endLine])).toEqual([
      ['javax.jms', 'javax.jms-api', '2.0.1', 'provided', 5, 10],
      ['in.profile', 'dep', undefined, undefined, 16, 16],
    ]);
  });

  it('only the project packaging counts, not a plugin setting', () => {
    expect(parsePom('<project><build><plugin><configuration><packaging>ear</packaging></configuration></plugin></build></project>').packaging).toBeUndefined();
  });

  it('refuses entity declarations', () => {
    const m = parsePom('<!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<project/>');
    expect(m.errors).toEqual([{ message: expect.stringContaining('<!ENTITY'), line: 1 }]);
    expect(m.dependencies).toEqual([]);
  });
});

describe('parseGradle', () => {
  it('reads string and map notations (Groovy and Kotlin DSL) outside comments', () => {
    const g = `plugins { id 'war' }
dependencies {
    implementation 'com.hazelcast:hazelcast:3.12'
    compile group: 'net.sf.ehcache', name: 'ehcache', version: '2.10.9'
    implementation("jakarta.jms:jakarta.jms-api:3.1.0")
    // implementation 'commented:out:1'
    /* compile 'block:comment:1' */
    testImplementation 'org.apache.activemq:activemq-broker:5.18.3'
    providedCompile "javax:javaee-api:7.0"
}`;
    const m = parseGradle(g);
    expect(m.dependencies.map((d) => `${d.line}:${d.scope} ${d.group}:${d.artifact}:${d.version ?? ''}`)).toEqual([
      '3:implementation com.hazelcast:hazelcast:3.12',
      '4:compile net.sf.ehcache:ehcache:2.10.9',
      '5:implementation jakarta.jms:jakarta.jms-api:3.1.0',
      '8:testImplementation org.apache.activemq:activemq-broker:5.18.3',
      '9:providedCompile javax:javaee-api:7.0',
    ]);
    expect(m.packaging).toBeUndefined();
    expect(parseGradle("apply plugin: 'ear'").packaging).toMatchObject({ value: 'ear', line: 1 });
  });
});

describe('buildAnalyzer', () => {
  it('skips test-scoped dependencies unless includeTest is set', () => {
    const text = "dependencies {\n  testImplementation 'org.apache.activemq:activemq-broker:5'\n  implementation 'org.apache.activemq:activemq-client:5'\n}";
    const rule = (includeTest: boolean) => ({ id: 'r', match: { analyzer: 'build', dependency: { group: '^org\\.apache\\.activemq$' }, includeTest } });
    expect(buildAnalyzer.analyze({ path: 'build.gradle', text }, [rule(false)]).matches.map((m) => m.line)).toEqual([3]);
    expect(buildAnalyzer.analyze({ path: 'build.gradle', text }, [rule(true)]).matches.map((m) => m.line)).toEqual([2, 3]);
  });

  it('validates match blocks', () => {
    expect(buildAnalyzer.validate({ analyzer: 'build' })).toEqual([['match', 'needs exactly one of dependency or packaging']]);
    expect(buildAnalyzer.validate({ analyzer: 'build', dependency: { grp: 'x' } }).map((p) => p[0])).toEqual(['match.dependency.grp']);
    expect(buildAnalyzer.handles('module/build.gradle.kts')).toBe(true);
    expect(buildAnalyzer.handles('settings.gradle')).toBe(false);
  });
});
